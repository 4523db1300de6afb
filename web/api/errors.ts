/** One field problem, as the server names it (`body.quantity`, `query.limit`…). */
export interface FieldProblem {
  path: string;
  message: string;
  code: string;
}

/** The server's error body `{error:{type,code,message,details}}`, as something a form can place. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Problems by field name (the last part of the path: `body.siteAddress.city` → `siteAddress.city`). */
  get fields(): Record<string, FieldProblem> {
    const out: Record<string, FieldProblem> = {};
    const list = Array.isArray(this.details.fields) ? (this.details.fields as FieldProblem[]) : [];
    for (const f of list) out[f.path.replace(/^(body|querystring|params|headers)\./, '')] ??= f;
    // Verb-level checks name their field in details.field (invalid_quantity, invalid_unit_price…).
    if (typeof this.details.field === 'string') out[this.details.field] ??= { path: this.details.field, message: this.message, code: this.code };
    return out;
  }

  /** A stale `version`: someone else changed the thing since it was loaded. */
  get isConflict(): boolean {
    return this.code === 'stale_version';
  }
}

/** Builds an ApiError from a response body, whatever it holds. */
export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { type?: string; code?: string; message?: string; details?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string') {
    const details = e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? (e.details as Record<string, unknown>) : {};
    return new ApiError(status, e.type ?? 'invalid', e.code, e.message ?? e.code, details);
  }
  return new ApiError(status, status >= 500 ? 'internal' : 'invalid', status >= 500 ? 'internal_error' : 'http_error', `HTTP ${status}`, {});
}

/** Network failures and timeouts, which a retry with the same Idempotency-Key may fix. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}
