// Sends the outbox: one tab at a time (a Web Lock), oldest sale first, each with the key it was
// made with. A send's outcome goes through the state machine (outbox.ts); the tabs hear about
// it over a BroadcastChannel, so every tab's unsynced count is right.
import { withLock } from '../lib/locks';
import { isDue, needsManager, releaseForRetry, sendOrder, transition, waitingOf, type OutboxRecord, type SendOutcome, type Waiting } from './outbox';
import { outboxStore } from './store';

export { waitingOf, type Waiting } from './outbox';

export type OutboxEvent =
  | { type: 'changed' }
  | { type: 'outcome'; key: string; record: OutboxRecord; outcome: SendOutcome }
  | { type: 'discarded'; key: string };

const LOCK = 'pos-outbox-send';
const POLL_MS = 2000;

export class Outbox {
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  private readonly outcomes = new Map<string, SendOutcome>();
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('pos-outbox');
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly send: (record: OutboxRecord) => Promise<SendOutcome>,
    private readonly currentUser: () => string | null,
  ) {
    if (this.channel) {
      this.channel.onmessage = (message: MessageEvent<OutboxEvent>) => {
        const event = message.data;
        if (event.type === 'outcome') this.outcomes.set(event.key, event.outcome);
        this.emit(event, false);
      };
    }
  }

  subscribe(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: OutboxEvent, broadcast = true): void {
    for (const listener of this.listeners) listener(event);
    if (broadcast) this.channel?.postMessage(event);
  }

  /** Writes a completed sale before anything is sent. */
  async add(record: OutboxRecord): Promise<void> {
    await outboxStore.put(record);
    this.emit({ type: 'changed' });
  }

  async records(): Promise<OutboxRecord[]> {
    return sendOrder(await outboxStore.all());
  }

  async count(): Promise<number> {
    return (await outboxStore.all()).length;
  }

  /** Sends one sale now (waiting for another tab's send to finish) and returns its outcome. */
  async sendNow(key: string): Promise<SendOutcome> {
    const outcome = await withLock(LOCK, async () => {
      const record = await outboxStore.get(key);
      if (!record) return this.outcomes.get(key) ?? null;
      return this.attempt(record);
    });
    return outcome ?? this.outcomes.get(key) ?? { kind: 'network', message: 'unknown' };
  }

  /** Sends whatever is due, unless another tab is already sending. */
  async drain(force = false): Promise<void> {
    await withLock(
      LOCK,
      async () => {
        const user = this.currentUser();
        const now = Date.now();
        for (const record of await this.records()) {
          if (record.username !== user || needsManager(record) || (!force && !isDue(record, now))) continue;
          const outcome = await this.attempt(record);
          // The server is unreachable: the rest would fail the same way.
          if (outcome.kind === 'network' || outcome.kind === 'auth') break;
        }
      },
      true,
    );
  }

  /**
   * Drains until nothing of this cashier's is left (closing, signing out). A sale waiting for a
   * manager keeps it waiting too, until a manager sends or discards it.
   */
  async waitUntilEmpty(onProgress: (left: Waiting) => void, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const left = waitingOf(await this.records(), this.currentUser());
      onProgress(left);
      if ((left.unsynced === 0 && left.needsManager === 0) || signal?.aborted) return;
      if (left.unsynced > 0) await this.drain(true);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /**
   * Sends a sale that waits for a manager again (the cause fixed), with the till's time or
   * the server's. Returns the outcome; a sale refused again waits again.
   */
  async retryRefused(key: string, serverTime: boolean): Promise<SendOutcome | null> {
    return withLock(LOCK, async () => {
      const record = await outboxStore.get(key);
      if (!record || !needsManager(record)) return null;
      return this.attempt(releaseForRetry(record, serverTime));
    });
  }

  /** A manager discards a refused sale: kept apart with the reason, never sent. */
  async discard(key: string, reason: string, manager: string): Promise<boolean> {
    const done = await withLock(LOCK, async () => {
      const record = await outboxStore.get(key);
      if (!record || !needsManager(record)) return false;
      await outboxStore.discard({ record, reason, manager, discardedAt: new Date().toISOString() });
      return true;
    });
    if (done) {
      this.emit({ type: 'discarded', key });
      this.emit({ type: 'changed' });
    }
    return done === true;
  }

  private async attempt(record: OutboxRecord): Promise<SendOutcome> {
    const outcome = await this.send(record);
    const next = transition(record, outcome, Date.now(), Math.random());
    if (next.record) await outboxStore.put(next.record);
    else await outboxStore.remove(record.key);
    this.outcomes.set(record.key, outcome);
    this.emit({ type: 'outcome', key: record.key, record: next.record ?? record, outcome });
    this.emit({ type: 'changed' });
    return outcome;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.drain(), POLL_MS);
    window.addEventListener('online', this.onOnline);
    void this.drain();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    window.removeEventListener('online', this.onOnline);
  }

  private readonly onOnline = () => void this.drain(true);
}
