import type { paths } from './schema.d.ts';

/** Type helpers over the generated schema: never hand-copy a DTO. */
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON a route answers with on success (200 or 201). */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { responses: infer R } ? (R extends { 200: infer S } ? Json<S> : R extends { 201: infer S } ? Json<S> : never) : never;
/** The JSON body a route accepts. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
/** The query string a route accepts. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Task = ResponseOf<'/api/v1/tasks/{id}', 'get'>;
export type TaskPage = ResponseOf<'/api/v1/tasks', 'get'>;
export type TaskQuery = QueryOf<'/api/v1/tasks', 'get'>;
export type CreateTask = BodyOf<'/api/v1/tasks', 'post'>;
export type UpdateTask = BodyOf<'/api/v1/tasks/{id}', 'patch'>;
export type TaskType = ResponseOf<'/api/v1/task-types/{id}', 'get'>;
export type HistoryEntry = ResponseOf<'/api/v1/tasks/{id}/history', 'get'>['items'][number];
export type Line = ResponseOf<'/api/v1/tasks/{id}/lines', 'get'>['items'][number];
export type AddLine = BodyOf<'/api/v1/tasks/{id}/lines', 'post'>;
export type UpdateLine = BodyOf<'/api/v1/tasks/{id}/lines/{lineId}', 'patch'>;
export type Note = ResponseOf<'/api/v1/tasks/{id}/notes', 'get'>['items'][number];
export type Attachment = ResponseOf<'/api/v1/attachments/{id}', 'get'>;
export type InvoiceView = ResponseOf<'/api/v1/tasks/{id}/invoice', 'get'>;
export type Client = ResponseOf<'/api/v1/clients/{id}', 'get'>;
export type CreateClient = BodyOf<'/api/v1/clients', 'post'>;
export type UpdateClient = BodyOf<'/api/v1/clients/{id}', 'patch'>;
export type Unbilled = ResponseOf<'/api/v1/clients/{id}/unbilled', 'get'>;
export type User = ResponseOf<'/api/v1/users/me', 'get'>;
export type Organization = ResponseOf<'/api/v1/organization', 'get'>;
export type Automation = ResponseOf<'/api/v1/automations/{id}', 'get'>;
export type Address = NonNullable<Task['siteAddress']>;
