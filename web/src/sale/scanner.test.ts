import { describe, expect, it } from 'vitest';
import { feedKey, initialBurst, type BurstResult, type BurstState } from './scanner';

function typeKeys(keys: string[], gapMs: number): BurstResult[] {
  let state: BurstState = initialBurst;
  const results: BurstResult[] = [];
  keys.forEach((key, i) => {
    const step = feedKey(state, key, 1000 + i * gapMs);
    state = step.state;
    results.push(step.result);
  });
  return results;
}

describe('scanner burst detector', () => {
  it('takes fast digits ending in Enter as a scan', () => {
    const results = typeKeys([...Array.from('8410188012092'), 'Enter'], 5);

    expect(results.at(-1)).toEqual({ kind: 'scan', code: '8410188012092' });
  });

  it('lets a slow Enter through as a key press', () => {
    const results = typeKeys(['1', '2', '3', '4', 'Enter'], 300);

    expect(results.at(-1)).toEqual({ kind: 'pass' });
  });

  it('does not take a short burst as a scan', () => {
    const results = typeKeys(['1', '2', 'Enter'], 5);

    expect(results.at(-1)).toEqual({ kind: 'pass' });
  });

  it('starts a new code after a pause', () => {
    let state: BurstState = initialBurst;
    for (const [i, key] of Array.from('999').entries()) state = feedKey(state, key, i * 5).state;
    for (const [i, key] of Array.from('1234').entries()) state = feedKey(state, key, 5000 + i * 5).state;

    const end = feedKey(state, 'Enter', 5020);

    expect(end.result).toEqual({ kind: 'scan', code: '1234' });
  });

  it('passes keys that are not characters, such as Tab', () => {
    const step = feedKey(initialBurst, 'Tab', 0);

    expect(step.result).toEqual({ kind: 'pass' });
  });
});
