import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestReceiver {
  url: string;
  port: number;
  received: { headers: IncomingHttpHeaders; body: string; path: string }[];
  /** Statuses to answer next, in order; then 204. */
  answers: number[];
  close(): Promise<void>;
}

/** A real HTTP endpoint on 127.0.0.1 (port 0: any free port) that records what it is sent (not a test file). */
export async function startReceiver(): Promise<TestReceiver> {
  const received: TestReceiver['received'] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/chantier`,
    port,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
