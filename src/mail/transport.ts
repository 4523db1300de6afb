import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../config.ts';

/** Sends one composed message. SMTP when configured, else a .eml file (works out of the box). */
export interface MailTransport {
  send(message: SendMailOptions): Promise<void>;
  close(): Promise<void>;
}

export function mailTransport(config: Pick<Config, 'smtpUrl' | 'dataDir'>): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : emlFileTransport(join(config.dataDir, 'outbox'));
}

function smtpTransport(url: string): MailTransport {
  // Timeouts well under the outbox lease, so a stuck server fails the attempt before another worker may take it.
  const t = nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 });
  return {
    async send(message) {
      await t.sendMail(message);
    },
    async close() {
      t.close();
    },
  };
}

/** Writes `<dir>/<message id>.eml`, through a temp file: a retry overwrites the same file. */
function emlFileTransport(dir: string): MailTransport {
  const t = nodemailer.createTransport({ streamTransport: true, newline: 'unix' });
  return {
    async send(message) {
      await mkdir(dir, { recursive: true });
      const info = await t.sendMail(message);
      const name = emlFileName(String(message.messageId ?? info.messageId));
      const tmp = join(dir, `.${name}.tmp`);
      try {
        await pipeline(info.message as Readable, createWriteStream(tmp));
        await rename(tmp, join(dir, name));
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async close() {},
  };
}

/** `<0190…@example.com>` → `0190…@example.com.eml` (only safe characters kept). */
export const emlFileName = (messageId: string) => `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`;
