import { Message, Welcome } from './frames';

/** The most a welcome's count says: the server counts no further, so 1000 means "1000 or more". */
export const UNREAD_MAX = 1000;

/** A count as a badge shows it: exact below the server's bound, "999+" from it up. */
export function unreadLabel(count: number): string {
  return count >= UNREAD_MAX ? `${UNREAD_MAX - 1}+` : String(count);
}

/**
 * Unread counts per room, as the sidebar shows them: the welcome's counts, then one more for each
 * message of another user in a room not on screen. Opening a room reads it up to its last seq.
 */
export class UnreadCounts {
  private readonly counts = new Map<string, number>();
  private readonly lastSeq = new Map<string, number>();

  /** @param me the user, until a welcome says who it is */
  constructor(private me = '') {
  }

  welcome(welcome: Welcome): void {
    this.me = welcome.user;
    this.counts.clear();
    for (const room of welcome.rooms) {
      this.counts.set(room.room, room.unread);
      this.lastSeq.set(room.room, room.seq);
    }
  }

  /**
   * A new message (never a duplicate); `viewing` is the room on screen, if the page is visible.
   * Messages up to the welcome's seq are in its count, so a resume's replay counts nothing twice.
   */
  message(message: Message, viewing: string | null): void {
    const known = this.lastSeq.get(message.room) ?? 0;
    if (message.seq <= known) {
      // a replay after a reconnect: the welcome's count has it already
      return;
    }
    this.lastSeq.set(message.room, message.seq);
    if (message.from !== this.me && message.room !== viewing) {
      this.counts.set(message.room, (this.counts.get(message.room) ?? 0) + 1);
    }
  }

  /** The room is on screen: nothing unread; returns the seq to send as `read` (null if none). */
  read(room: string): number | null {
    this.counts.set(room, 0);
    return this.lastSeq.get(room) ?? null;
  }

  forget(room: string): void {
    this.counts.delete(room);
    this.lastSeq.delete(room);
  }

  get(room: string): number {
    return this.counts.get(room) ?? 0;
  }

  total(): number {
    let sum = 0;
    this.counts.forEach(count => sum += count);
    return sum;
  }
}
