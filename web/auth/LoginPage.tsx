import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { LoginForm } from './LoginForm.tsx';
import { homeOf, useMe } from './queries.ts';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const me = useMe();
  if (me.data) return <Navigate to={homeOf(me.data.role)} replace />;
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand">Chantier</p>
        <h1>{t('login.title')}</h1>
        <LoginForm onDone={(role) => navigate(homeOf(role), { replace: true })} />
        <p>
          {t('login.noAccount')} <Link to="/signup">{t('login.signupLink')}</Link>
        </p>
        <LanguageSwitch />
      </div>
    </main>
  );
}
