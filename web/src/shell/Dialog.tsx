import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  className?: string;
  /** The dialog's role name shown in its heading; hidden headings still name it. */
  hideTitle?: boolean;
}

/** A modal <dialog>: the browser traps the focus and Esc closes it. */
export function Dialog({ title, onClose, children, wide = false, className = '', hideTitle = false }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first focusable element (the close button); the cashier's next
      // keystroke belongs in the first field, or on the action marked for it.
      const target =
        dialog.querySelector<HTMLElement>('[data-autofocus]') ??
        dialog.querySelector<HTMLElement>('.dialog__body input:not([type=radio]):not([type=checkbox]), .dialog__body select') ??
        dialog.querySelector<HTMLElement>('.dialog__body button');
      target?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog--wide' : ''} ${className}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog__header">
        <h2 id={titleId} className={hideTitle ? 'visually-hidden' : ''}>
          {title}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      <div className="dialog__body">{children}</div>
    </dialog>
  );
}
