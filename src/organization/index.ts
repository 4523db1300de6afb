export { organizationRoutes } from './routes.ts';
export { findOrganization, toOrganizationDto } from './service.ts';
