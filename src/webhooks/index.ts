export { webhookDeliverer } from './deliverer.ts';
export { checkWebhookUrl, isPrivateAddress } from './address-guard.ts';
export { newWebhookSecret, secretHint, signWebhook, verifyWebhookSignature, SIGNATURE_HEADER } from './sign.ts';
export { invoiceOf, taskDtoIn, type WebhookEvent, type WebhookEventType, type WebhookRowPayload } from './payload.ts';
export { DEFAULT_WEBHOOK_TIMEOUT_MS } from './post.ts';
