import { Component, type ReactNode } from 'react';
import i18next from 'i18next';

interface State {
  failed: boolean;
}

/**
 * Never a blank screen: a rendering failure shows a way back. The cart and the unsynced sales
 * are in the browser's storage, so reloading loses nothing.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="centered">
        <div className="card card--narrow" role="alert">
          <h1>{i18next.t('errors.UNKNOWN')}</h1>
          <button type="button" className="button button--primary button--block" onClick={() => window.location.reload()}>
            {i18next.t('common.reload')}
          </button>
        </div>
      </main>
    );
  }
}
