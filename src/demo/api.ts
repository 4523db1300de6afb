import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** Who makes a request: a bearer token or a session cookie, as a real client would send it. */
export interface Credentials {
  headers: Record<string, string>;
}

export const bearer = (token: string): Credentials => ({ headers: { authorization: `Bearer ${token}` } });

/** A demo step the API refused: names the step and carries the error body. */
export class DemoStepFailed extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`demo step "${step}" failed: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'DemoStepFailed';
  }
}

const ROUTE_MISSING = Symbol('route missing');

export interface DemoApi {
  /** A JSON request in process; anything but 2xx throws. */
  // biome-ignore lint/suspicious/noExplicitAny: the demo's scripts read the API's JSON answers field by field
  send(step: string, who: Credentials | undefined, method: InjectOptions['method'], url: string, body?: unknown): Promise<any>;
  /** The same for a capability this server may not have yet: false when the route does not exist. */
  sendIfRouted(step: string, who: Credentials, method: InjectOptions['method'], url: string, body?: unknown): Promise<boolean>;
  /** Uploads one file as multipart/form-data (field `file`); false when the route does not exist. */
  uploadIfRouted(step: string, who: Credentials, url: string, fileName: string, bytes: Buffer): Promise<boolean>;
  /** Opens a session with email and password; returns the cookie a browser would keep. */
  login(email: string, password: string): Promise<Credentials>;
}

export function demoApi(app: FastifyInstance): DemoApi {
  async function run(step: string, opts: InjectOptions) {
    const res = await app.inject(opts);
    const body: unknown = String(res.headers['content-type'] ?? '').includes('json') && res.body ? JSON.parse(res.body) : res.body;
    if (res.statusCode >= 200 && res.statusCode < 300) return { res, body };
    if (res.statusCode === 404 && (body as { error?: { code?: string } })?.error?.code === 'route_not_found') return ROUTE_MISSING;
    throw new DemoStepFailed(step, res.statusCode, body);
  }

  const json = (method: InjectOptions['method'], url: string, who: Credentials | undefined, body: unknown): InjectOptions => ({
    method,
    url,
    headers: { ...who?.headers },
    ...(body !== undefined ? { payload: body as object } : {}),
  });

  return {
    async send(step, who, method, url, body) {
      const r = await run(step, json(method, url, who, body));
      if (r === ROUTE_MISSING) throw new DemoStepFailed(step, 404, `no route ${method} ${url}`);
      return r.body;
    },
    async sendIfRouted(step, who, method, url, body) {
      return (await run(step, json(method, url, who, body))) !== ROUTE_MISSING;
    },
    async uploadIfRouted(step, who, url, fileName, bytes) {
      const boundary = `----chantier-demo-${randomBytes(8).toString('hex')}`;
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName.replace(/["\\\r\n]/g, '_')}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const payload = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const r = await run(step, {
        method: 'POST',
        url,
        headers: { ...who.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      return r !== ROUTE_MISSING;
    },
    async login(email, password) {
      const r = await run(`log in as ${email}`, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (r === ROUTE_MISSING) throw new DemoStepFailed(`log in as ${email}`, 404, 'no login route');
      const cookie = r.res.cookies.find((c) => c.name === 'chantier_session');
      if (!cookie) throw new DemoStepFailed(`log in as ${email}`, r.res.statusCode, 'no session cookie');
      return { headers: { cookie: `chantier_session=${cookie.value}` } };
    },
  };
}
