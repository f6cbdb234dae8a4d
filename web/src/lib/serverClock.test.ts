import { afterEach, describe, expect, it, vi } from 'vitest';
import { noteServerDate, serverNow } from './serverClock';

describe('the server clock', () => {
  afterEach(() => {
    vi.useRealTimers();
    noteServerDate(new Date().toUTCString(), Date.now() - 500, Date.now() - 500);
  });

  it('follows the server when the till’s clock is two hours ahead', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));

    noteServerDate('Fri, 04 Dec 2026 10:00:00 GMT', Date.now() - 100, Date.now());

    expect(Math.abs(serverNow() - Date.parse('2026-12-04T10:00:00.500Z'))).toBeLessThanOrEqual(100);
  });

  it('ignores an answer without a usable Date header', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
    noteServerDate('Fri, 04 Dec 2026 12:00:00 GMT', Date.now(), Date.now());
    const before = serverNow();

    noteServerDate(null, Date.now(), Date.now());
    noteServerDate('not a date', Date.now(), Date.now());

    expect(serverNow()).toBe(before);
  });
});
