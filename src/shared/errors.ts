/** One error vocabulary for the whole server. `code` is stable and machine-readable. */
export type ErrorType =
  | 'invalid'
  | 'not_found'
  | 'not_allowed'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unprocessable'
  | 'unavailable'
  | 'insufficient_storage';

export const httpStatusOf: Record<ErrorType, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_allowed: 409,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  insufficient_storage: 507,
};

export class AppError extends Error {
  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | unknown[] = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get status(): number {
    return httpStatusOf[this.type];
  }

  toBody() {
    return { error: { type: this.type, code: this.code, message: this.message, details: this.details } };
  }
}

export const invalid = (code: string, message: string, details: AppError['details'] = {}) => new AppError('invalid', code, message, details);
export const notFound = (what: string, id?: string) => new AppError('not_found', `${what}_not_found`, `${what.replace(/_/g, ' ')} not found`, id ? { id } : {});
export const conflict = (code: string, message: string, details: AppError['details'] = {}) => new AppError('conflict', code, message, details);
export const notAllowed = (code: string, message: string, details: AppError['details'] = {}) => new AppError('not_allowed', code, message, details);
export const forbidden = (code: string, message: string, details: AppError['details'] = {}) => new AppError('forbidden', code, message, details);
export const unauthorized = (code = 'unauthenticated', message = 'authentication required') => new AppError('unauthorized', code, message);

/** A stale optimistic-concurrency version. */
export const staleVersion = (what: string, current: number) =>
  conflict('stale_version', `the ${what} was changed by someone else; reload it and try again`, { currentVersion: current });
