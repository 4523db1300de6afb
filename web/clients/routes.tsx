import { Route, Routes } from 'react-router';
import { registerMessages } from '../i18n/index.ts';
import { taskMessages } from '../tasks/messages.ts';
import { ClientListPage } from './ClientListPage.tsx';
import { ClientPage } from './ClientPage.tsx';
import { clientMessages } from './messages.ts';

registerMessages('clients', clientMessages);
registerMessages('tasks', taskMessages);

/** /clients, /clients/:id */
export default function ClientRoutes() {
  return (
    <Routes>
      <Route index element={<ClientListPage />} />
      <Route path=":id" element={<ClientPage />} />
    </Routes>
  );
}
