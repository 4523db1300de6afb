import { Route, Routes } from 'react-router';
import { registerMessages } from '../i18n/index.ts';
import { taskMessages } from '../tasks/messages.ts';
import { InvoiceListPage } from './InvoiceListPage.tsx';
import { InvoicePage } from './InvoicePage.tsx';
import './messages.ts';

registerMessages('tasks', taskMessages);

/** /invoices, /invoices/:id */
export default function InvoiceRoutes() {
  return (
    <Routes>
      <Route index element={<InvoiceListPage />} />
      <Route path=":id" element={<InvoicePage />} />
    </Routes>
  );
}
