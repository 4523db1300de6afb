import { Route, Routes } from 'react-router';
import '../invoices/messages.ts';
import { EmailOutboxPage } from './EmailOutboxPage.tsx';

/** /emails */
export default function EmailRoutes() {
  return (
    <Routes>
      <Route index element={<EmailOutboxPage />} />
    </Routes>
  );
}
