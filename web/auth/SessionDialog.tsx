import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setReauthenticate } from '../api/client.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { LoginForm } from './LoginForm.tsx';
import { useMe } from './queries.ts';

/**
 * While mounted, a 401 from any request opens this dialog over the current page (so forms keep
 * what the person typed); the request is retried once they log in again.
 */
export function SessionDialog() {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const waiting = useRef<{ promise: Promise<void>; resolve: () => void } | null>(null);
  useEffect(() => {
    setReauthenticate(() => {
      if (!waiting.current) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        waiting.current = { promise, resolve };
        setOpen(true);
      }
      return waiting.current.promise;
    });
    return () => setReauthenticate(null);
  }, []);
  const done = () => {
    setOpen(false);
    waiting.current?.resolve();
    waiting.current = null;
  };
  return (
    <Dialog open={open} title={t('session.title')} required>
      <p>{t('session.body')}</p>
      <LoginForm onDone={done} defaultEmail={me.data?.email ?? ''} />
    </Dialog>
  );
}
