import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import i18next from 'i18next';
import { useLogout, useMe, useOrganization } from '../auth/queries.ts';
import { setLocale, storedLocale } from '../i18n/index.ts';
import { Loading } from './Alerts.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The dispatcher's desk: a top bar with the main navigation, then the page. */
export function Layout() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const org = useOrganization();
  // A person's own choice first; else the organization's language; else the browser's last choice.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again only when the person or the organization's language changes, not on every refetch of either
  useEffect(() => {
    if (!me.data) return;
    const mine = storedLocale(me.data.id);
    if (mine) setLocale(mine, me.data.id);
    else if (org.data && !storedLocale()) void i18next.changeLanguage(org.data.locale.startsWith('en') ? 'en' : 'fr-CA');
  }, [me.data?.id, org.data?.locale]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <span className="brand">Chantier</span>
        <nav aria-label={t('nav.label')}>
          <NavLink to="/tasks">{t('nav.tasks')}</NavLink>
          <NavLink to="/clients">{t('nav.clients')}</NavLink>
          <NavLink to="/invoices">{t('nav.invoices')}</NavLink>
          <NavLink to="/emails">{t('nav.emails')}</NavLink>
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
        {/* A screen family loading keeps the top bar in place. */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
