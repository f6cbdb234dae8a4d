import { useTranslation } from 'react-i18next';
import { useApp } from './context';

/**
 * "Offline" while the server cannot be reached; "N unsynced" while sales wait to be sent; "N
 * need a manager" while sales the server refused after the goods had left wait for one.
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const { reachable, unsynced, needsManager } = useApp();
  const parts = [reachable ? t('status.online') : t('status.offline')];
  if (unsynced > 0) parts.push(t('status.unsynced', { count: unsynced }));
  if (needsManager > 0) parts.push(t('status.needsManager', { count: needsManager }));
  const text = parts.join(' · ');
  return (
    <div
      role="status"
      aria-label={text}
      className={`conn ${reachable ? 'conn--online' : 'conn--offline'} ${unsynced > 0 ? 'conn--pending' : ''} ${needsManager > 0 ? 'conn--attention' : ''}`}
    >
      <span className="conn__dot" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
