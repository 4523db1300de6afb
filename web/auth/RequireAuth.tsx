import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useMe } from './queries.ts';
import { SessionDialog } from './SessionDialog.tsx';

/** Signed-in screens: without a session, go to /login; with one, a later 401 opens the login dialog. */
export function RequireAuth({ children, roles }: { children: ReactNode; roles?: string[] }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorBanner error={me.error} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (roles && !roles.includes(me.data.role)) return <Navigate to={me.data.role === 'technician' ? '/tech' : '/tasks'} replace />;
  return (
    <>
      {children}
      <SessionDialog />
    </>
  );
}
