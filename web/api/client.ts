import { ApiError, NetworkError, toApiError } from './errors.ts';

export { ApiError, NetworkError } from './errors.ts';

/**
 * Called on a 401 from any request but login/signup: shows the login dialog over the current
 * page (forms keep their state) and resolves once the person is signed in again.
 */
let reauthenticate: (() => Promise<void>) | null = null;
export function setReauthenticate(fn: (() => Promise<void>) | null): void {
  reauthenticate = fn;
}

const PUBLIC_PATHS = ['/api/v1/auth/login', '/api/v1/signup'];

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the request counts as a network failure. */
  timeoutMs?: number;
  /** false: a 401 is returned as an error instead of opening the login dialog (the session probe). */
  reauth?: boolean;
}

/** Builds `/api/v1/x?a=1` leaving out empty values. */
export function urlOf(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** One same-origin JSON request; errors come back as ApiError (server) or NetworkError. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  if (res.status === 401 && reauthenticate && opts.reauth !== false && !PUBLIC_PATHS.includes(path)) {
    await reauthenticate();
    return api<T>(path, opts);
  }
  return read<T>(res);
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(urlOf(path, opts.query), {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new NetworkError(timeout.aborted ? 'the server did not answer in time' : 'the server cannot be reached', timeout.aborted);
  }
}

async function read<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) throw toApiError(res.status, body);
  return body as T;
}

/** A fresh Idempotency-Key: create ONE per user action and reuse it for every retry of it. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** Worth retrying with the same key: the request may or may not have reached the server. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof ApiError && (err.status >= 500 || err.code === 'idempotency_request_in_progress');
}

export interface RetryOptions {
  /** The user action's key; pass the same one when the person presses "retry" later. */
  key?: string;
  attempts?: number;
  /** Called before each new attempt (1 = the first retry). */
  onRetry?: (attempt: number, err: unknown) => void;
  delayMs?: (attempt: number) => number;
}

/**
 * Runs `attempt(key)` until it succeeds, fails for good (4xx), or runs out of attempts; every
 * attempt sends the SAME Idempotency-Key, so the server applies the action at most once.
 */
export async function withRetry<T>(attempt: (key: string) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const key = opts.key ?? newIdempotencyKey();
  const attempts = opts.attempts ?? 3;
  const delay = opts.delayMs ?? ((n: number) => 500 * 2 ** (n - 1));
  for (let n = 0; ; n++) {
    try {
      return await attempt(key);
    } catch (err) {
      if (n + 1 >= attempts || !isRetryable(err)) throw err;
      opts.onRetry?.(n + 1, err);
      await new Promise((r) => setTimeout(r, delay(n + 1)));
    }
  }
}

/** A write (POST, PATCH, DELETE) with an Idempotency-Key, retried on network errors, timeouts and 5xx. */
export function mutate<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, retry: RetryOptions = {}): Promise<T> {
  return withRetry((key) => api<T>(path, { method, body, headers: { 'idempotency-key': key }, timeoutMs: 20_000 }), retry);
}

/**
 * Uploads one file (multipart field `file`) with progress, via XMLHttpRequest (fetch has no
 * upload progress). Retried like `mutate`, with one key for the whole action.
 */
export function upload<T>(path: string, file: File | Blob, onProgress: (fraction: number) => void, retry: RetryOptions = {}, fileName?: string): Promise<T> {
  return withRetry((key) => uploadOnce<T>(path, file, onProgress, key, fileName), retry);
}

function uploadOnce<T>(path: string, file: File | Blob, onProgress: (fraction: number) => void, key: string, fileName?: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path); // same origin: the session cookie goes with it
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('idempotency-key', key);
    xhr.timeout = 5 * 60_000;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new NetworkError('the upload was interrupted'));
    xhr.ontimeout = () => reject(new NetworkError('the upload took too long', true));
    xhr.onload = async () => {
      if (xhr.status === 401 && reauthenticate) {
        try {
          await reauthenticate();
          resolve(await uploadOnce<T>(path, file, onProgress, key, fileName));
        } catch (err) {
          reject(err);
        }
        return;
      }
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else reject(toApiError(xhr.status, body));
    };
    const form = new FormData();
    form.append('file', file, fileName ?? (file instanceof File ? file.name : 'photo.jpg'));
    xhr.send(form);
  });
}
