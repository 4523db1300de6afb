// The technician's phone: /tech ("Mes tâches") and /tech/tasks/:id, under a slim top bar.
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router';
import { useLogout } from '../auth/queries.ts';
import { registerMessages } from '../i18n/index.ts';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { NotFound } from '../ui/NotFound.tsx';
import { techEn, techFr } from './messages.ts';
import MyTasksPage from './MyTasksPage.tsx';
import TechTaskPage from './TechTaskPage.tsx';
import './tech.css';

registerMessages('tech', { 'fr-CA': techFr, en: techEn });

export default function TechRoutes() {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar tech-topbar">
        <span className="brand">Chantier</span>
        <div className="topbar-end">
          <LanguageSwitch />
          <button
            type="button"
            className="tech-button tech-button-quiet"
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
          >
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main">
        <Routes>
          <Route index element={<MyTasksPage />} />
          <Route path="tasks/:id" element={<TechTaskPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
}
