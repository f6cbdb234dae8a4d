import { describe, expect, it } from 'vitest';
import { detectLanguage, localeFor } from './language';

describe('language', () => {
  it('is Spanish for a Spanish browser', () => {
    expect(detectLanguage('', null, 'es-ES')).toBe('es');
  });

  it('is English for any English browser', () => {
    expect(detectLanguage('', null, 'en-US')).toBe('en');
  });

  it('is Spanish for a browser in another language', () => {
    expect(detectLanguage('', null, 'fr-FR')).toBe('es');
  });

  it('follows ?lang= over everything else', () => {
    expect(detectLanguage('?lang=en', 'es', 'es-ES')).toBe('en');
  });

  it('follows the cashier’s last choice over the browser', () => {
    expect(detectLanguage('', 'en', 'es-ES')).toBe('en');
  });

  it('writes numbers in the browser’s own locale when it speaks the language', () => {
    expect(localeFor('en', 'en-US')).toBe('en-US');
    expect(localeFor('es', 'en-US')).toBe('es-ES');
  });
});
