// Which language the register speaks: `?lang=en|es` in the address forces it; otherwise the
// cashier's last choice on this browser, otherwise the browser's language (Spanish unless it
// starts with `en`).
export type Language = 'es' | 'en';

export function detectLanguage(search: string, stored: string | null, navigatorLanguage: string): Language {
  const forced = new URLSearchParams(search).get('lang');
  if (forced === 'en' || forced === 'es') return forced;
  if (stored === 'en' || stored === 'es') return stored;
  return navigatorLanguage.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/** The locale numbers and dates are written in for a language. */
export function localeFor(language: Language, navigatorLanguage: string): string {
  if (navigatorLanguage.toLowerCase().startsWith(language)) return navigatorLanguage;
  return language === 'en' ? 'en-GB' : 'es-ES';
}
