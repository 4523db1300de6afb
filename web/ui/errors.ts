import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from '../api/client.ts';

/** An error in words for a person: the server's code in the catalogue, else its message. */
export function describeError(err: unknown, t: TFunction): string {
  if (err instanceof NetworkError) return t('common:errors.network');
  if (!(err instanceof ApiError)) return t('common:errors.generic', { message: err instanceof Error ? err.message : String(err) });
  const d = err.details;
  if (err.code === 'automation_failed') {
    const reasonCode = typeof d.reasonCode === 'string' ? d.reasonCode : '';
    const reason = reasonCode && t(`common:errors.${reasonCode}`, { defaultValue: '' }) ? t(`common:errors.${reasonCode}`) : String(d.reason ?? err.message);
    return t('common:errors.automation_failed', { rule: String(d.ruleName ?? ''), reason });
  }
  if (err.code === 'transition_not_allowed') return t('common:errors.transition_not_allowed', { from: String(d.from ?? '') });
  if (err.code === 'validation_failed') {
    const list = Object.entries(err.fields).map(([f, p]) => `${f} : ${fieldProblemText(p.code, p.message, t)}`);
    return list.length ? `${t('common:errors.validation_failed')} ${list.join(' ; ')}` : t('common:errors.validation_failed');
  }
  // Lists the server names (unknown template variables) are shown as the person typed them.
  const names = (list: unknown, key: string) => (list as unknown[]).map((v) => `« ${String((v as Record<string, unknown>)?.[key] ?? v)} »`).join(', ');
  const values = {
    ...(Array.isArray(d.unknown) ? { unknown: d.unknown.map((v) => `{${String(v)}}`).join(', ') } : {}),
    ...(Array.isArray(d.statuses) ? { statuses: names(d.statuses, 'key') } : {}),
    ...(Array.isArray(d.rules) ? { rules: names(d.rules, 'name') } : {}),
  };
  return t(`common:errors.${err.code}`, { defaultValue: err.message, ...values });
}

/** zod's issue codes in words; its English message only lends the bound ("<=365"). */
function fieldProblemText(code: string, message: string, t: TFunction): string {
  const bound = /[<>]=?\s*(-?\d+(?:\.\d+)?)/.exec(message)?.[1];
  const isText = /string|characters/.test(message);
  if (code === 'too_small')
    return isText && (bound === undefined || bound === '1')
      ? t('common:errors.tooSmall')
      : isText
        ? t('common:errors.tooShort', { min: bound })
        : t('common:errors.atLeast', { min: bound ?? '' });
  if (code === 'too_big') return isText ? t('common:errors.tooLong', { max: bound ?? '' }) : t('common:errors.atMost', { max: bound ?? '' });
  if (code === 'invalid_format') return t('common:errors.invalid_format');
  if (code === 'invalid_type') return t('common:errors.invalid_type');
  if (code === 'invalid_value') return t('common:errors.invalid_value');
  return t(`common:errors.${code}`, { defaultValue: message });
}

/**
 * The problem with one field, in words, or undefined. `names` are the server's field paths
 * that this input stands for (`title`, `siteAddress.city`, `quantity`…).
 */
export function fieldError(err: unknown, t: TFunction, ...names: string[]): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const fields = err.fields;
  for (const n of names) {
    const p = fields[n];
    if (!p) continue;
    if (err.code === 'validation_failed') return fieldProblemText(p.code, p.message, t);
    return describeError(err, t);
  }
  return undefined;
}

/** True when the error was placed at one of these fields (then the form need not repeat it on top). */
export function isPlacedAt(err: unknown, ...names: string[]): boolean {
  return err instanceof ApiError && names.some((n) => n in err.fields);
}
