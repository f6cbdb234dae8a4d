import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import es from './es.json';
import { detectLanguage, localeFor, type Language } from './language';

const STORAGE_KEY = 'pos.lang';

export function initI18n(): typeof i18next {
  const language = detectLanguage(window.location.search, localStorage.getItem(STORAGE_KEY), navigator.language);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: language,
    fallbackLng: 'es',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'es';
}

export function currentLocale(): string {
  return localeFor(currentLanguage(), navigator.language);
}

/** Switches and remembers the language; a forced `?lang=` in the address follows the switch. */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  const url = new URL(window.location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', language);
    window.history.replaceState(null, '', url);
  }
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}
