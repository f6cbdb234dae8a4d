import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Waiting } from '../outbox/sync';
import { Dialog } from '../shell/Dialog';
import { useApp } from '../shell/context';

/**
 * Signing out waits until none of this cashier's sales waits in the outbox: neither one not sent
 * yet nor one the server refused after the goods had left (a manager decides: `onReview`).
 */
export function SignOutDialog({ onClose, onReview }: { onClose: () => void; onReview: () => void }) {
  const { t } = useTranslation();
  const { outbox, signOut } = useApp();
  const [left, setLeft] = useState<Waiting | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    void outbox.waitUntilEmpty(setLeft, controller.signal).then(() => {
      if (!controller.signal.aborted) void signOut();
    });
    return () => controller.abort();
  }, [outbox, signOut]);
  return (
    <Dialog title={t('menu.signOut')} onClose={onClose}>
      {(left === null || left.unsynced > 0 || left.needsManager === 0) && (
        <p role="status">{left !== null && left.unsynced > 0 ? t('signOut.waiting', { count: left.unsynced }) : t('common.loading')}</p>
      )}
      {left !== null && left.needsManager > 0 && (
        <div className="attention" role="status">
          <span className="attention__text">{t('signOut.needsManager', { count: left.needsManager })}</span>
          <button type="button" className="button" onClick={onReview}>
            {t('refused.review')}
          </button>
        </div>
      )}
      <button type="button" className="button" onClick={onClose}>
        {t('common.cancel')}
      </button>
    </Dialog>
  );
}
