// Node-side calls to the test server's API with a bearer token: set-up that the test is not
// about (users, a task type's id). What a person does goes through the browser.
export const PASSWORD = 'correct horse battery';

export interface ApiClient {
  token: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A JSON call; throws with the status and body when the answer is not 2xx. */
export async function callApi<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text && String(res.headers.get('content-type')).includes('json') ? JSON.parse(text) : text;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json as T;
}

export function apiClient(baseUrl: string, token: string): ApiClient {
  return { token, call: (method, path, body) => callApi(baseUrl, method, path, token, body) };
}

/** A personal API token for someone who can log in (the browser session stays the test's business). */
export async function tokenFor(baseUrl: string, email: string, password = PASSWORD): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const made = await callApi<{ secret?: string; token?: string }>(baseUrl, 'POST', '/api/v1/tokens', undefined, { name: 'e2e' }, { cookie, origin: baseUrl });
  return apiClient(baseUrl, (made.secret ?? made.token)!);
}

/** Signs up an organization through the API; returns its admin's client. */
export async function signupApi(
  baseUrl: string,
  o: { orgName: string; name: string; email: string; locale?: 'fr-CA' | 'en-CA' },
): Promise<ApiClient & { orgId: string; userId: string }> {
  const r = await callApi(baseUrl, 'POST', '/api/v1/signup', undefined, { ...o, password: PASSWORD });
  return { ...apiClient(baseUrl, r.token), orgId: r.organization.id, userId: r.user.id };
}

/** Adds a person with this role; returns their id. */
export async function addUser(
  admin: ApiClient,
  role: 'admin' | 'dispatcher' | 'technician',
  name: string,
  email: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = await admin.call('POST', '/api/v1/users', { name, email, password: PASSWORD, role, ...extra });
  return r.id;
}

/** The ids of the organization's task types by key ('work', 'invoice', …). */
export async function taskTypeIds(client: ApiClient): Promise<Record<string, string>> {
  const r = await client.call('GET', '/api/v1/task-types');
  return Object.fromEntries((r.items as { id: string; key: string }[]).map((t) => [t.key, t.id]));
}
