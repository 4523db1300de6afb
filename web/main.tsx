import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { isRetryable } from './api/client.ts';
import { authMessages } from './auth/messages.ts';
import { LoginPage } from './auth/LoginPage.tsx';
import { homeOf, useMe } from './auth/queries.ts';
import { RequireAuth } from './auth/RequireAuth.tsx';
import { SignupPage } from './auth/SignupPage.tsx';
import { initI18n, registerMessages } from './i18n/index.ts';
import { Loading } from './ui/Alerts.tsx';
import { Layout } from './ui/Layout.tsx';
import { NotFound } from './ui/NotFound.tsx';
import './ui/styles.css';

initI18n();
registerMessages('auth', authMessages);

// Screen families load on demand: the first screen ships only what it needs.
const TaskRoutes = lazy(() => import('./tasks/routes.tsx'));
const ClientRoutes = lazy(() => import('./clients/routes.tsx'));
const SettingsRoutes = lazy(() => import('./settings/routes.tsx'));
const RuleRoutes = lazy(() => import('./rules/routes.tsx'));
const InvoiceRoutes = lazy(() => import('./invoices/routes.tsx'));
const EmailRoutes = lazy(() => import('./emails/routes.tsx'));
// The technician's phone screens (web/tech/routes.tsx, default export: the routes under /tech/*).
// Found by glob so that the desk builds with or without them.
const techModule = Object.values(import.meta.glob<{ default: ComponentType }>('./tech/routes.tsx'))[0];
const TechRoutes = techModule ? lazy(techModule) : null;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Others' changes show up within seconds: on focus, and every 5 s while a page is open.
      refetchOnWindowFocus: true,
      refetchInterval: 5_000,
      staleTime: 2_000,
      retry: (count, err) => count < 2 && isRetryable(err),
    },
    mutations: { retry: false }, // mutate() retries itself, with one Idempotency-Key
  },
});

function Home() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  return <Navigate to={me.data ? homeOf(me.data.role) : '/login'} replace />;
}

function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
        {/* Without the phone screens, a technician still lands somewhere (no redirect loop). */}
        <Route path="/tech/*" element={<RequireAuth>{TechRoutes ? <TechRoutes /> : <NotFound />}</RequireAuth>} />
        <Route
          element={
            <RequireAuth roles={['admin', 'dispatcher']}>
              <Layout />
            </RequireAuth>
          }
        >
          <Route path="/tasks/*" element={<TaskRoutes />} />
          <Route path="/clients/*" element={<ClientRoutes />} />
          <Route
            path="/settings/*"
            element={
              <RequireAuth roles={['admin']}>
                <SettingsRoutes />
              </RequireAuth>
            }
          />
          <Route
            path="/rules/*"
            element={
              <RequireAuth roles={['admin']}>
                <RuleRoutes />
              </RequireAuth>
            }
          />
          <Route path="/invoices/*" element={<InvoiceRoutes />} />
          <Route path="/emails/*" element={<EmailRoutes />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
