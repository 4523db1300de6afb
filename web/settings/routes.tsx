import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { registerMessages } from '../i18n/index.ts';
import { taskMessages } from '../tasks/messages.ts';
import { settingsMessages } from './messages.ts';
import SettingsPage from './SettingsPage.tsx';
import { TaskTypesPage } from './TaskTypesPage.tsx';
import { UsersPage } from './UsersPage.tsx';

registerMessages('settings', settingsMessages);
registerMessages('tasks', taskMessages);

/** /settings (organization, automatic billing), /settings/users, /settings/task-types — admins only. */
export default function SettingsRoutes() {
  const { t } = useTranslation('settings');
  return (
    <>
      <nav className="subnav" aria-label={t('sections')}>
        <NavLink to="/settings" end>
          {t('organization')}
        </NavLink>
        <NavLink to="/settings/users">{t('users')}</NavLink>
        <NavLink to="/settings/task-types">{t('taskTypes')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<SettingsPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="task-types" element={<TaskTypesPage />} />
      </Routes>
    </>
  );
}
