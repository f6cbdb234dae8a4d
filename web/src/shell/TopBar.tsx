import type { ReactNode } from 'react';
import { ConnectionStatus } from './ConnectionStatus';
import { LanguageSwitch } from './LanguageSwitch';

export function TopBar({ children }: { children?: ReactNode }) {
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <span className="logo" aria-hidden="true">
          ◼
        </span>
        <span className="brand-name">O'data POS</span>
      </div>
      <div className="topbar__middle">{children}</div>
      <div className="topbar__right">
        <ConnectionStatus />
        <LanguageSwitch />
      </div>
    </header>
  );
}
