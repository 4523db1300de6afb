import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useLogout, useMe } from '../auth/queries.ts';
import { setLocale, storedLocale } from '../i18n/index.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The dispatcher's desk: a top bar with the main navigation, then the page. */
export function Layout() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  // A person's own language choice wins over the browser default.
  useEffect(() => {
    const mine = me.data && storedLocale(me.data.id);
    if (mine) setLocale(mine, me.data?.id);
  }, [me.data?.id]);
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="topbar">
        <span className="brand">Chantier</span>
        <nav aria-label={t('nav.label')}>
          <NavLink to="/tasks">{t('nav.tasks')}</NavLink>
          <NavLink to="/clients">{t('nav.clients')}</NavLink>
          {me.data?.role === 'admin' && <NavLink to="/rules">{t('nav.rules')}</NavLink>}
          {me.data?.role === 'admin' && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
        </nav>
        <div className="topbar-end">
          <LanguageSwitch />
          <span className="muted user-name">{me.data?.name}</span>
          <button type="button" onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" className="page">
        <Outlet />
      </main>
    </>
  );
}
