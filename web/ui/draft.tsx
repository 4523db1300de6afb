import { createContext, useContext, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { Field } from './Field.tsx';
import { fieldError } from './errors.ts';

/**
 * Forms that edit an API body as data (the rule editor, the organization). Each input is bound to a path in it
 * (`actions.1.templates.fr.subject`) — the same path the server names in its errors, so an
 * error lands at the input that caused it.
 */
export type Json = Record<string, unknown>;

export function getIn(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string, unknown>)[k]), obj);
}

/** A copy of `obj` with `path` set; an empty value ('' or undefined or []) removes the key. */
export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const isArray = Array.isArray(obj);
  const copy: Record<string, unknown> | unknown[] = isArray ? [...(obj as unknown[])] : { ...((obj ?? {}) as Json) };
  const next = rest.length ? setIn((copy as Record<string, unknown>)[head], rest.join('.'), value) : value;
  const empty = next === undefined || next === '' || (Array.isArray(next) && next.length === 0);
  if (isArray) (copy as unknown[])[Number(head)] = next;
  else if (empty) delete (copy as Json)[head];
  else (copy as Json)[head] = next;
  return copy as T;
}

interface DraftContext {
  draft: Json;
  set(path: string, value: unknown): void;
  error: unknown;
}
const Ctx = createContext<DraftContext | null>(null);
export const DraftProvider = ({ value, children }: { value: DraftContext; children: ReactNode }) => <Ctx.Provider value={value}>{children}</Ctx.Provider>;

export function useDraft() {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useDraft outside DraftProvider');
  return ctx;
}

/** The server's word for this path (or a parent object the server named, e.g. `actions.0.to`). */
export function useFieldError(path: string, ...more: string[]): string | undefined {
  const { error } = useDraft();
  const { t } = useTranslation();
  return fieldError(error, t, path, ...more);
}

/** True when the error names at least one field of the form (then the form's top says "see below"). */
export const isFieldError = (err: unknown) => err instanceof ApiError && Object.keys(err.fields).length > 0;

export function TextInput({
  path,
  label,
  hint,
  multiline,
  type,
  onFocusField,
}: {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  multiline?: boolean;
  type?: string;
  onFocusField?: (path: string, el: HTMLInputElement | HTMLTextAreaElement) => void;
}) {
  const { draft, set } = useDraft();
  const value = (getIn(draft, path) as string | undefined) ?? '';
  const error = useFieldError(path);
  const onFocus = (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => onFocusField?.(path, e.currentTarget);
  return (
    <Field label={label} error={error} hint={hint}>
      {multiline ? (
        <textarea name={path} value={value} onChange={(e) => set(path, e.target.value)} onFocus={onFocus} />
      ) : (
        <input name={path} type={type ?? 'text'} value={value} onChange={(e) => set(path, e.target.value)} onFocus={onFocus} />
      )}
    </Field>
  );
}

export function SelectInput({
  path,
  label,
  options,
  hint,
  empty,
  parse,
}: {
  path: string;
  label: ReactNode;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  empty?: string;
  parse?: (v: string) => unknown;
}) {
  const { draft, set } = useDraft();
  const raw = getIn(draft, path);
  const error = useFieldError(path);
  return (
    <Field label={label} error={error} hint={hint}>
      <select
        name={path}
        value={raw === undefined ? '' : String(raw)}
        onChange={(e) => set(path, e.target.value === '' ? undefined : parse ? parse(e.target.value) : e.target.value)}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CheckInput({ path, label }: { path: string; label: ReactNode }) {
  const { draft, set } = useDraft();
  const id = useId();
  const error = useFieldError(path);
  return (
    <div className={error ? 'check field-invalid' : 'check'}>
      <input id={id} type="checkbox" checked={getIn(draft, path) === true} onChange={(e) => set(path, e.target.checked ? true : undefined)} />
      <label htmlFor={id}>{label}</label>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/** Several ids from a list, as checkboxes in a fieldset; none checked removes the key. */
export function ChoiceList({ path, legend, options }: { path: string; legend: ReactNode; options: { value: string; label: string }[] }) {
  const { draft, set } = useDraft();
  const chosen = (getIn(draft, path) as string[] | undefined) ?? [];
  const error = useFieldError(path);
  const id = useId();
  return (
    <fieldset className={error ? 'choices field-invalid' : 'choices'}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <span key={o.value} className="check">
          <input
            id={`${id}-${o.value}`}
            type="checkbox"
            checked={chosen.includes(o.value)}
            onChange={(e) => set(path, e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </span>
      ))}
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}
