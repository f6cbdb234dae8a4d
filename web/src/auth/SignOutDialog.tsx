import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';

/** Signing out waits until none of this cashier's sales waits in the outbox. */
export function SignOutDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { outbox, signOut } = useApp();
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    void outbox.waitUntilEmpty(setLeft, controller.signal).then(() => {
      if (!controller.signal.aborted) void signOut();
    });
    return () => controller.abort();
  }, [outbox, signOut]);
  return (
    <Dialog title={t('menu.signOut')} onClose={onClose}>
      <p role="status">{left !== null && left > 0 ? t('signOut.waiting', { count: left }) : t('common.loading')}</p>
      <button type="button" className="button" onClick={onClose}>
        {t('common.cancel')}
      </button>
    </Dialog>
  );
}
