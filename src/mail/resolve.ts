import { Readable } from 'node:stream';
import { PermanentDeliveryError } from '../outbox/index.ts';
import type { AttachmentRef, AttachmentResolver, ResolveContext, ResolvedAttachment } from './attachments.ts';

/** Resolves every reference, in order; on a failure, the streams already opened are closed. */
export async function resolveAttachments(refs: AttachmentRef[], ctx: ResolveContext): Promise<ResolvedAttachment[]> {
  const out: ResolvedAttachment[] = [];
  try {
    for (const ref of refs) {
      const resolver = ctx.deps.attachmentResolvers[ref.kind] as AttachmentResolver | undefined;
      if (!resolver) throw new PermanentDeliveryError(`no resolver is registered for "${ref.kind}" attachments`);
      out.push(await resolver(ref, ctx));
    }
    return out;
  } catch (err) {
    for (const a of out) if (a.content instanceof Readable) a.content.destroy();
    throw err;
  }
}
