import { Clock } from '../protocol/connection';

/** A message the page holds back: where it goes, and its place in the order it was written. */
export interface Held { order: number; room: string; localId: string }

/**
 * How the page honours `rate_limited`: it goes quiet for the longest wait the server told, counted from
 * the last refusal (so the server sees the client quiet that long and ends its run of refusals without
 * a strike), then sends the messages that waited one at a time, in the order they were written, each
 * once the one before is answered: a message refused again goes back to the head of the line, and no
 * later one overtakes it. Single-threaded, like the page.
 */
export class Pacer {
  private timer: unknown = null;
  private longest = 0;
  private queue: Held[] = [];
  /** the message from the queue that is out now, its answer not in yet */
  private out: Held | null = null;

  constructor(
    private readonly clock: Clock,
    /** sends a held message once its turn comes; its answer comes back through answered or hold */
    private readonly send: (held: Held) => void,
    /** the wait is over: what was put off (read marks) may go */
    private readonly waited: () => void,
  ) {
  }

  /** The server asked for a pause that is not over yet: nothing optional goes out. */
  get waiting(): boolean {
    return this.timer !== null;
  }

  /** A pause, or messages still to go after one: a new message queues behind them. */
  get busy(): boolean {
    return this.waiting || this.out !== null || this.queue.length > 0;
  }

  /** The server refused something and asked for `ms`; true when this starts a pause (the page says so once). */
  wait(ms: number): boolean {
    const starts = !this.busy;
    this.longest = Math.max(this.longest, ms);
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
    }
    // one timer for the whole burst of refusals, restarted so the quiet lasts from the last one
    this.timer = this.clock.setTimeout(() => this.over(), this.longest);
    return starts;
  }

  /** Holds a message (new, or refused) until the pause is over and those written before it have gone. */
  hold(held: Held): void {
    if (this.out?.localId === held.localId) {
      this.out = null;
    }
    let index = this.queue.length;
    while (index > 0 && this.queue[index - 1].order > held.order) {
      index--;
    }
    this.queue.splice(index, 0, held);
  }

  /** A message's answer came (stored, or refused for good): if it was the queue's, the next may go. */
  answered(held: Held): void {
    if (this.out?.localId === held.localId) {
      this.out = null;
      this.next();
    }
  }

  /** The connection is gone: the pause ends, and the messages still held are returned, never sent. */
  clear(): Held[] {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.longest = 0;
    this.out = null;
    const held = this.queue;
    this.queue = [];
    return held;
  }

  private over(): void {
    this.timer = null;
    this.longest = 0;
    this.waited();
    this.next();
  }

  private next(): void {
    if (this.timer !== null || this.out !== null) {
      return;
    }
    const held = this.queue.shift();
    if (held !== undefined) {
      this.out = held;
      this.send(held);
    }
  }
}
