import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorBanner } from '../ui/Alerts.tsx';
import { Field } from '../ui/Field.tsx';
import { fieldError, isPlacedAt } from '../ui/errors.ts';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { homeOf, useSignup } from './queries.ts';

export function SignupPage() {
  const { t, i18n } = useTranslation('auth');
  const navigate = useNavigate();
  const signup = useSignup();
  const [form, setForm] = useState({ orgName: '', name: '', email: '', password: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const locale = i18n.language === 'en' ? 'en-CA' : 'fr-CA';
    signup.mutate(
      { ...form, locale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      { onSuccess: (r) => navigate(homeOf(r.user.role), { replace: true }) },
    );
  };
  const err = signup.error;
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand">Chantier</p>
        <h1>{t('signup.title')}</h1>
        <form onSubmit={submit} noValidate>
          <Field label={t('signup.orgName')} error={fieldError(err, t, 'orgName')}>
            <input required autoComplete="organization" value={form.orgName} onChange={set('orgName')} />
          </Field>
          <Field label={t('signup.name')} error={fieldError(err, t, 'name')}>
            <input required autoComplete="name" value={form.name} onChange={set('name')} />
          </Field>
          <Field label={t('signup.email')} error={fieldError(err, t, 'email')}>
            <input type="email" required autoComplete="email" value={form.email} onChange={set('email')} />
          </Field>
          <Field label={t('signup.password')} hint={t('signup.passwordHint')} error={fieldError(err, t, 'password')}>
            <input type="password" required autoComplete="new-password" value={form.password} onChange={set('password')} />
          </Field>
          {!isPlacedAt(err, 'orgName', 'name', 'email', 'password') && <ErrorBanner error={err} />}
          <button type="submit" className="primary" disabled={signup.isPending}>
            {t('signup.submit')}
          </button>
        </form>
        <p>
          {t('signup.haveAccount')} <Link to="/login">{t('signup.loginLink')}</Link>
        </p>
        <LanguageSwitch />
      </div>
    </main>
  );
}
