// Web Locks where the browser has them (every browser the register runs in); a plain call
// otherwise (unit tests under Node), which is enough for one tab.
export async function withLock<T>(name: string, task: () => Promise<T>, ifAvailable = false): Promise<T | null> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return task();
  if (ifAvailable) {
    return locks.request(name, { ifAvailable: true }, async (lock) => (lock ? task() : null));
  }
  return locks.request(name, task);
}
