import { Clock, SocketLike } from '../protocol/connection';

/** A socket the test plays the server of. */
export class FakeSocket implements SocketLike {
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }

  serve(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }

  /** The last frame sent of a type. */
  last(type: string): Record<string, unknown> {
    const frame = [...this.sent].reverse().find(sent => sent.type === type);
    if (frame === undefined) {
      throw new Error(`nothing of type ${type} was sent: ${JSON.stringify(this.sent)}`);
    }
    return frame;
  }
}

interface Timer { task: () => void; ms: number }

/** Timers the test fires by hand; randomness fixed. */
export class ManualClock implements Clock {
  readonly timers: Timer[] = [];
  value = 0.5;

  setTimeout(task: () => void, ms: number): unknown {
    const timer = { task, ms };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const index = this.timers.indexOf(handle as Timer);
    if (index >= 0) {
      this.timers.splice(index, 1);
    }
  }

  random(): number {
    return this.value;
  }

  /** Fires the first timer due within `ms` (others, such as the keep-alive, wait). */
  fireWithin(ms: number): void {
    const index = this.timers.findIndex(timer => timer.ms <= ms);
    if (index < 0) {
      throw new Error(`no timer within ${ms} ms: ${this.timers.map(timer => timer.ms)}`);
    }
    const [timer] = this.timers.splice(index, 1);
    timer.task();
  }

  fireNext(): number {
    const next = this.timers.shift();
    if (next === undefined) {
      throw new Error('no timer');
    }
    next.task();
    return next.ms;
  }
}
