import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Chantier-Signature';

/** A new signing secret, shown once when a rule is saved. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** What the API shows instead of a secret: its kind and last four characters. */
export const secretHint = (secret: string) => `${secret.startsWith('whsec_') ? 'whsec_' : ''}…${secret.slice(-4)}`;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (Stripe's scheme): the receiver
 * recomputes it over the bytes it received and refuses an old `t` (replays).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** The receiver's side: does the header sign this raw body, within `toleranceSeconds` of `nowSeconds`? */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = signWebhook(secret, body, t).split('v1=')[1];
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
