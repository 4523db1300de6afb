export { clientRoutes } from './routes.ts';
export { findClient, toClientDto } from './store.ts';
export { TAX_REGIONS } from './schemas.ts';
