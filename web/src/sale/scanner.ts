// A keyboard-wedge scanner types a code much faster than a person and ends it with Enter. This
// detector tells such a burst from typing, for keys that arrive while the focus is not in a
// text field (on a button, say), so a scan there still lands in the cart and its Enter does not
// press the button. Pure: it is fed keys with their times.

export interface BurstOptions {
  /** Longest gap between two keys of one scan (Odoo uses 50 to 150 ms). */
  maxGapMs: number;
  /** Shortest code taken as a scan. */
  minLength: number;
}

export const defaultBurstOptions: BurstOptions = { maxGapMs: 60, minLength: 4 };

export interface BurstState {
  buffer: string;
  lastTime: number;
}

export const initialBurst: BurstState = { buffer: '', lastTime: -Infinity };

export type BurstResult =
  | { kind: 'char' } // part of a possible scan: swallow the key
  | { kind: 'scan'; code: string } // a whole scan ended by Enter
  | { kind: 'pass' }; // not a scan: let the key do what it does

export function feedKey(
  state: BurstState,
  key: string,
  time: number,
  options: BurstOptions = defaultBurstOptions,
): { state: BurstState; result: BurstResult } {
  const fast = time - state.lastTime <= options.maxGapMs;
  if (key === 'Enter') {
    if (fast && state.buffer.length >= options.minLength) {
      return { state: initialBurst, result: { kind: 'scan', code: state.buffer } };
    }
    return { state: initialBurst, result: { kind: 'pass' } };
  }
  if (key.length !== 1 || key === ' ') {
    return { state: initialBurst, result: { kind: 'pass' } };
  }
  const buffer = fast ? state.buffer + key : key;
  return { state: { buffer, lastTime: time }, result: { kind: 'char' } };
}
