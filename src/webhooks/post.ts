import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { PermanentDeliveryError } from '../outbox/index.ts';
import { hostOf, isPrivateAddress } from './address-guard.ts';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs a body and resolves with the HTTP status (redirects are not followed). node:http rather
 * than fetch: its `lookup` hook checks the address actually connected to, which Node 20's fetch
 * cannot do without undici's own API — a check before fetch would let DNS answer differently.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, o: { allowPrivate: boolean; timeoutMs: number }): Promise<number> {
  const target = new URL(url);
  const host = hostOf(target);
  if (!o.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new PermanentDeliveryError(`the webhook URL points at a private address (${host})`));
  }
  let refused: string | null = null;
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const bad = o.allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) {
        refused = `${hostname} resolves to a private address (${bad.address})`;
        return callback(new Error(refused), '', 4);
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume(); // the answer's body is not read
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(refused ? new PermanentDeliveryError(`${refused}; set CHANTIER_WEBHOOK_ALLOW_PRIVATE=true to allow it`) : err);
    });
    req.end(body);
  });
}
