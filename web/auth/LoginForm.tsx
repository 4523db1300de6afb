import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError } from '../ui/errors.ts';
import { useLogin } from './queries.ts';

/** Email + password; used by the login page and by the session-expired dialog. */
export function LoginForm({ onDone, defaultEmail = '' }: { onDone: (role: string) => void; defaultEmail?: string }) {
  const { t } = useTranslation('auth');
  const login = useLogin();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: (r) => onDone(r.user.role) });
  };
  const emailError = fieldError(login.error, t, 'email');
  return (
    <form onSubmit={submit} noValidate>
      <Field label={t('login.email')} error={emailError}>
        <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label={t('login.password')} error={fieldError(login.error, t, 'password')}>
        <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {!emailError && <ErrorBanner error={login.error} />}
      <button type="submit" className="primary" disabled={login.isPending}>
        {t('login.submit')}
      </button>
    </form>
  );
}
