export { accountRoutes } from './routes.ts';
export { signup } from './signup.ts';
export { addUser } from './users.ts';
export { requireRole, canSeeAllTasks, type Principal, type Role } from './principal.ts';
export { issueCredential } from './credentials.ts';
