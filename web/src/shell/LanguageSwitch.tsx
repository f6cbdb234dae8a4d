import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

/** On every screen: the two languages, the current one pressed. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const current = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {(['es', 'en'] as const).map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          aria-pressed={current === lang}
          onClick={() => setLanguage(lang)}
        >
          <span aria-hidden="true">{lang.toUpperCase()}</span>
          <span className="visually-hidden">{lang === 'es' ? 'Español' : 'English'}</span>
        </button>
      ))}
    </div>
  );
}
