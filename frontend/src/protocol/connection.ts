import {
  Ack, ClientFrame, CloseCode, ErrorFrame, Message, parseServerFrame, Resumed, ServerFrame, ServerType, Welcome,
} from './frames';
import { SeenSeqs } from './seqs';
import { waitOf } from './waits';

/** What the connection needs of a WebSocket: the browser's, or a fake in tests. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** The browser's WebSocket, seen as a SocketLike (its handlers take DOM events). */
export function browserSocket(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

/** Timers and randomness, so that tests drive the reconnect by hand. */
export interface Clock {
  setTimeout(task: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How often an idle page asks the server whether the connection still works, and how long it waits. */
export const PING_EVERY_MS = 25_000;

export interface ConnectionListener {
  /** Every frame but duplicates of messages already had, in arrival order (messages: order by seq). */
  frame(frame: ServerFrame): void;
  /** The connection's state, for the page to show; `detail` says why it closed. */
  state(state: ConnectionState, detail?: string): void;
}

/** A request the server refused: its `error` frame. */
export class RequestError extends Error {
  constructor(readonly frame: ErrorFrame) {
    super(frame.message);
  }
}

/** A request whose connection dropped before its answer: it may or may not have been done. */
export class Disconnected extends Error {
  constructor() {
    super('the connection dropped before the answer');
  }
}

const browserClock: Clock = {
  setTimeout: (task, ms) => globalThis.setTimeout(task, ms),
  clearTimeout: handle => globalThis.clearTimeout(handle as number),
  random: () => Math.random(),
};

/**
 * One chat connection that never loses a message: it reconnects with exponential backoff and full
 * jitter, and after every new welcome resumes each room from the last seq it has, dropping the
 * duplicates a replay brings. Requests are matched to their answers by `id`.
 */
export class ChatConnection {
  private socket: SocketLike | null = null;
  private readonly seen = new Map<string, SeenSeqs>();
  private readonly pending = new Map<string, { resolve(frame: ServerFrame): void; reject(error: Error): void }>();
  private nextId = 0;
  private attempt = 0;
  private retry: unknown = null;
  private stopped = false;
  private me: string | null = null;
  /** requests may go out: a welcome came on this socket (before it, a send would throw) */
  private ready = false;
  private resumeId: string | null = null;
  private keepAlive: unknown = null;
  /** the id of the keep-alive ping still unanswered, if any */
  private awaitingPong: string | null = null;

  constructor(
    private readonly open: () => SocketLike,
    private readonly listener: ConnectionListener,
    private readonly clock: Clock = browserClock,
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 30_000,
  ) {
  }

  start(): void {
    this.stopped = false;
    this.connect('connecting');
  }

  /** Closes for good (1000); no reconnect. */
  stop(detail = 'closed by you'): void {
    this.stopped = true;
    if (this.retry !== null) {
      this.clock.clearTimeout(this.retry);
      this.retry = null;
    }
    this.socket?.close(CloseCode.NORMAL, 'bye');
    this.dropped();
    this.listener.state('closed', detail);
  }

  /** Reconnects at once instead of waiting out the backoff (the page's "retry now"). */
  reconnectNow(): void {
    if (this.retry === null || this.stopped) {
      return;
    }
    this.clock.clearTimeout(this.retry);
    this.retry = null;
    this.connect('reconnecting');
  }

  /** Sends a request and waits for its answer (an `ack`, `history`, `joined`...); rejects on its `error`. */
  request(frame: ClientFrame): Promise<ServerFrame> {
    const socket = this.socket;
    if (socket === null || !this.ready) {
      return Promise.reject(new Disconnected());
    }
    const id = `c${++this.nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** A message to a room: resolves with its `ack` (stored, with its seq). */
  send(room: string, text: string): Promise<Ack> {
    return this.request({ type: 'send', room, text }) as Promise<Ack>;
  }

  /** Sends a frame that has no answer (`typing`, `read`). */
  tell(frame: ClientFrame): void {
    if (this.ready) {
      this.socket?.send(JSON.stringify(frame));
    }
  }

  /** The seq up to which this client has every message of a room (0 if it knows none). */
  lastSeq(room: string): number {
    return this.seen.get(room)?.watermark ?? 0;
  }

  private connect(state: ConnectionState): void {
    this.listener.state(state);
    const socket = this.open();
    this.socket = socket;
    socket.onmessage = event => {
      if (this.socket === socket && typeof event.data === 'string') {
        this.received(event.data);
      }
    };
    socket.onclose = event => {
      if (this.socket === socket) {
        this.closed(event.code, event.reason);
      }
    };
  }

  private received(text: string): void {
    const frame = parseServerFrame(text);
    if (frame === null) {
      return;
    }
    if (frame.type === ServerType.WELCOME) {
      this.me = frame.user;
      this.welcomed(frame);
    } else if (frame.type === ServerType.PONG || (frame.type === ServerType.ERROR && frame.id === this.awaitingPong)) {
      // a refused ping (rate_limited) is an answer too: the connection works
      this.awaitingPong = null;
    } else if (frame.type === ServerType.ERROR && frame.id !== undefined && frame.id === this.resumeId) {
      // the resume was refused (the store was busy, a room went meanwhile): start over, not before the wait
      this.restartConnection(`catching up failed: ${frame.message}`,
        frame.code === 'rate_limited' ? waitOf(frame) : 0);
      return;
    } else if (frame.type === ServerType.RESUMED) {
      this.resumed(frame);
    } else if (frame.type === ServerType.MESSAGE && !this.isNew(frame)) {
      return;
    } else if (frame.type === ServerType.JOINED && frame.seq !== undefined) {
      // the full form: this user joined (here or on another connection), from that seq on
      this.follow(frame.room, frame.seq);
    } else if ((frame.type === ServerType.LEFT && frame.user === this.me) || frame.type === ServerType.ROOM_DELETED) {
      this.seen.delete(frame.room);
    }
    const id = 'id' in frame ? frame.id : undefined;
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (waiting !== undefined && id !== undefined) {
      this.pending.delete(id);
      if (frame.type === ServerType.ERROR) {
        waiting.reject(new RequestError(frame));
      } else {
        waiting.resolve(frame);
      }
    }
    this.listener.frame(frame);
  }

  /** A (new) welcome: rooms known before are resumed from what this client has; new ones start now. */
  private welcomed(welcome: Welcome): void {
    this.ready = true;
    const after: Record<string, number> = {};
    const rooms = new Set(welcome.rooms.map(room => room.room));
    for (const room of welcome.rooms) {
      const had = this.seen.get(room.room);
      if (had === undefined || had.watermark > room.seq) {
        // new here, or a room of that name deleted and made again meanwhile: it starts now
        this.seen.set(room.room, new SeenSeqs(room.seq));
      } else if (had.watermark < room.seq) {
        after[room.room] = had.watermark;
      }
    }
    for (const room of [...this.seen.keys()]) {
      if (!rooms.has(room)) {
        this.seen.delete(room);
      }
    }
    this.listener.state('open');
    this.pingLater();
    if (Object.keys(after).length > 0) {
      this.resumeId = `resume${++this.nextId}`;
      this.tell({ type: 'resume', after, id: this.resumeId });
    } else {
      // the backoff starts over only once the connection has caught up
      this.attempt = 0;
    }
  }

  /** Caught up. A truncated room skipped the messages before the newest it replayed: it has them all now. */
  private resumed(resumed: Resumed): void {
    if (resumed.id !== this.resumeId) {
      return;
    }
    this.resumeId = null;
    this.attempt = 0;
    for (const [room, state] of Object.entries(resumed.rooms)) {
      if (state.truncated) {
        this.seen.set(room, new SeenSeqs(state.seq));
      }
    }
  }

  /** Asks the server for a pong now and then; a connection that stays silent is dead, though open. */
  private pingLater(): void {
    this.keepAlive = this.clock.setTimeout(() => {
      this.keepAlive = null;
      if (this.awaitingPong !== null) {
        this.restartConnection('the server stopped answering');
        return;
      }
      this.awaitingPong = `ping${++this.nextId}`;
      this.tell({ type: 'ping', id: this.awaitingPong });
      this.pingLater();
    }, PING_EVERY_MS);
  }

  /** Gives up on this socket and reconnects with the backoff (at least `waitMs`), as after a drop. */
  private restartConnection(reason: string, waitMs = 0): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(CloseCode.NORMAL, 'reconnecting');
    this.closed(1006, reason, waitMs);
  }

  private isNew(message: Message): boolean {
    let seen = this.seen.get(message.room);
    if (seen === undefined) {
      // a room joined since the welcome: its first message here starts it
      seen = new SeenSeqs(message.seq - 1);
      this.seen.set(message.room, seen);
    }
    return seen.add(message.seq);
  }

  /** Follows a room joined or created since the welcome, from the seq its `joined` names. */
  follow(room: string, seq: number): void {
    if (!this.seen.has(room)) {
      this.seen.set(room, new SeenSeqs(seq));
    }
  }

  private closed(code: number, reason: string, waitMs = 0): void {
    this.dropped();
    if (this.stopped) {
      return;
    }
    if (code === CloseCode.POLICY) {
      // logged out, abusive, or a name race: reconnecting as is would not help
      this.listener.state('closed', reason || 'closed by the server');
      return;
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.attempt);
    this.attempt++;
    const delay = Math.max(waitMs, Math.floor(this.clock.random() * ceiling));
    const retrying = `retrying in ${Math.ceil(delay / 1000)} s`;
    this.listener.state('reconnecting', reason ? `${reason}; ${retrying}` : retrying);
    this.retry = this.clock.setTimeout(() => {
      this.retry = null;
      this.connect('reconnecting');
    }, delay);
  }

  /** The socket is gone: whatever waited for an answer is told so. */
  private dropped(): void {
    this.socket = null;
    this.ready = false;
    this.resumeId = null;
    this.awaitingPong = null;
    if (this.keepAlive !== null) {
      this.clock.clearTimeout(this.keepAlive);
      this.keepAlive = null;
    }
    for (const waiting of this.pending.values()) {
      waiting.reject(new Disconnected());
    }
    this.pending.clear();
  }
}
