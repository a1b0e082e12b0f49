import { Message } from '../protocol/frames';

/** A message of mine the server has not confirmed yet, or refused. */
export interface Pending {
  localId: string;
  text: string;
  /**
   * sending: waiting for the ack; waiting: held back while the server asked for a pause, sent after it;
   * unsure: the connection dropped first; failed: refused or lost
   */
  state: 'sending' | 'waiting' | 'unsure' | 'failed';
  error?: string;
  /** the room's latest seq when it was sent: a stored copy can only be above it */
  sentAfter: number;
  /** the seq its ack gave; the pending entry goes when that message arrives */
  seq?: number;
}

/** "bob joined", "carol left": shown after the message that came before it. */
export interface Notice { key: string; afterSeq: number; text: string }

export type Entry =
  | { kind: 'message'; key: string; message: Message }
  | { kind: 'notice'; key: string; notice: Notice }
  | { kind: 'pending'; key: string; pending: Pending };

/**
 * One room's messages as the page shows them: stored messages once each in seq order (history,
 * live and replayed ones merge by seq), the notices between them, and my pending messages last.
 */
export class Timeline {
  private readonly messages: Message[] = [];
  private readonly seqs = new Set<number>();
  private readonly notices: Notice[] = [];
  private pendings: Pending[] = [];
  private nextNotice = 0;

  /** Adds a stored message; false if it was here already. */
  add(message: Message): boolean {
    if (this.seqs.has(message.seq)) {
      return false;
    }
    this.seqs.add(message.seq);
    let index = this.messages.length;
    while (index > 0 && this.messages[index - 1].seq > message.seq) {
      index--;
    }
    this.messages.splice(index, 0, message);
    this.pendings = this.pendings.filter(pending => pending.seq !== message.seq);
    return true;
  }

  addAll(messages: Message[]): void {
    messages.forEach(message => this.add(message));
  }

  has(seq: number): boolean {
    return this.seqs.has(seq);
  }

  /** The oldest seq on screen (what to load history before), or null when empty. */
  get oldestSeq(): number | null {
    return this.messages.length === 0 ? null : this.messages[0].seq;
  }

  get newestSeq(): number {
    return this.messages.length === 0 ? 0 : this.messages[this.messages.length - 1].seq;
  }

  get size(): number {
    return this.messages.length;
  }

  notice(text: string, afterSeq: number): void {
    this.notices.push({ key: `n${this.nextNotice++}`, afterSeq, text });
  }

  addPending(pending: Pending): void {
    this.pendings.push(pending);
  }

  /** Changes a pending message; an acked one whose message is here already goes. */
  updatePending(localId: string, change: Partial<Pending>): void {
    this.pendings = this.pendings
      .map(pending => pending.localId === localId ? { ...pending, ...change } : pending)
      .filter(pending => pending.seq === undefined || !this.seqs.has(pending.seq));
  }

  removePending(localId: string): void {
    this.pendings = this.pendings.filter(pending => pending.localId !== localId);
  }

  pending(localId: string): Pending | undefined {
    return this.pendings.find(pending => pending.localId === localId);
  }

  get pendingList(): readonly Pending[] {
    return this.pendings;
  }

  /** A stored message from me with this text above a seq: the copy of a message whose ack was lost. */
  findMine(me: string, text: string, above: number, except: Set<number>): Message | undefined {
    return this.messages.find(message => message.seq > above && message.from === me && message.text === text
      && !except.has(message.seq));
  }

  entries(): Entry[] {
    const out: Entry[] = [];
    let next = 0;
    const notices = [...this.notices].sort((a, b) => a.afterSeq - b.afterSeq);
    for (const message of this.messages) {
      while (next < notices.length && notices[next].afterSeq < message.seq) {
        out.push({ kind: 'notice', key: notices[next].key, notice: notices[next] });
        next++;
      }
      out.push({ kind: 'message', key: `m${message.seq}`, message });
    }
    for (; next < notices.length; next++) {
      out.push({ kind: 'notice', key: notices[next].key, notice: notices[next] });
    }
    for (const pending of this.pendings) {
      out.push({ kind: 'pending', key: pending.localId, pending });
    }
    return out;
  }
}
