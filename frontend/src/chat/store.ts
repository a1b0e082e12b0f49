import {
  ChatConnection, Clock, ConnectionState, Disconnected, RequestError, SocketLike,
} from '../protocol/connection';
import {
  Ack, ErrorFrame, HistoryPage, Invited, Joined, Left, Message, Presence, Resumed, RoomList, RoomSummary,
  ServerFrame, ServerType, Typing, Visibility, Welcome,
} from '../protocol/frames';
import { UnreadCounts } from '../protocol/unread';
import { seconds, waitOf, withWait } from '../protocol/waits';
import { conversationName, isConversation } from './names';
import { Held, Pacer } from './pacer';
import { Timeline } from './timeline';

/** How the page opens a room: its last ten minutes (PROTOCOL.md, "History, resume and read state"). */
export const RECENT_WINDOW_MS = 10 * 60 * 1000;
/** History pages: the size of one scroll-up, and of the pages that fill the recent window. */
export const OLDER_PAGE = 50;
const RECENT_PAGE = 100;
const RECENT_PAGES_MAX = 5;
/** Someone is typing for this long after their last `typing` frame (clients send one every few seconds). */
export const TYPING_SHOWN_MS = 6000;
const TYPING_SENT_EVERY_MS = 3000;
const NOTICE_SHOWN_MS = 8000;
/** Read marks go out at most this often: one per live message would trip the server's frame limit. */
export const READ_SENT_EVERY_MS = 2000;

export interface RoomModel {
  name: string;
  visibility: Visibility;
  /** members as the last full `joined` listed them (null: not known on this page) */
  members: string[] | null;
  /** the newest seq this page knows of */
  seq: number;
  timeline: Timeline;
  history: 'none' | 'loading' | 'loaded';
  hasOlder: boolean;
  loadingOlder: boolean;
  /** who is typing, until when (clock ms) */
  typing: Map<string, number>;
  /** a conversation not started yet: its first message is a `dm` to this user */
  draftTo: string | null;
}

export interface Toast { text: string; error: boolean; id: number }

export interface Environment {
  clock: Clock;
  now(): number;
  /** whether the page is on screen (read marks move only then) */
  visible(): boolean;
}

const browserEnvironment: Environment = {
  clock: {
    setTimeout: (task, ms) => globalThis.setTimeout(task, ms),
    clearTimeout: handle => globalThis.clearTimeout(handle as number),
    random: () => Math.random(),
  },
  now: () => Date.now(),
  visible: () => typeof document === 'undefined' || document.visibilityState === 'visible',
};

/**
 * Everything the chat page shows, kept from the server's frames, and what the user can do. The
 * page subscribes and re-renders on every change; nothing here touches the DOM.
 */
export class ChatStore {
  me = '';
  guest = false;
  connectionState: ConnectionState = 'connecting';
  connectionDetail = '';
  /** a welcome has arrived at least once: the chat is usable */
  ready = false;
  readonly rooms = new Map<string, RoomModel>();
  readonly online = new Set<string>();
  onlineCount = 0;
  current: string | null = null;
  /** the public rooms and my private ones, from the last `rooms` answer */
  directory: RoomSummary[] | null = null;
  invitations: Invited[] = [];
  toast: Toast | null = null;
  /** the newest message of someone else in the room on screen, for the page's live region */
  announcement = '';
  readonly unread: UnreadCounts;

  private readonly connection: ChatConnection;
  private readonly pacer: Pacer;
  private readonly listeners = new Set<() => void>();
  private readonly typingSent = new Map<string, number>();
  private readonly readSent = new Map<string, number>();
  private readonly readsDue = new Map<string, number>();
  private readTimer: unknown = null;
  private lastReadFlush = -Infinity;
  private nextLocalId = 0;
  private nextOrder = 0;
  private nextToast = 0;
  private typingTimer: unknown = null;
  private toastTimer: unknown = null;

  constructor(open: () => SocketLike, private readonly env: Environment = browserEnvironment) {
    this.unread = new UnreadCounts();
    this.pacer = new Pacer(env.clock, held => this.sendHeld(held), () => this.flushReadsSoon());
    this.connection = new ChatConnection(open, {
      frame: frame => this.received(frame),
      state: (state, detail) => {
        this.connectionState = state;
        this.connectionDetail = detail ?? '';
        if (state !== 'open') {
          this.dropHeld();
        }
        this.changed();
      },
    }, env.clock);
  }

  start(): void {
    this.connection.start();
  }

  /** Closes for good; `detail` says why (shown in the page). */
  stop(detail?: string): void {
    this.connection.stop(detail);
  }

  /** Reconnects now instead of waiting out the backoff. */
  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get currentRoom(): RoomModel | null {
    return this.current === null ? null : this.rooms.get(this.current) ?? null;
  }

  /** Who is typing in a room now, me excluded. */
  typers(room: RoomModel): string[] {
    const now = this.env.now();
    return [...room.typing].filter(([, until]) => until > now).map(([user]) => user).sort();
  }

  // ---- what the user does ---------------------------------------------------------------------

  open(name: string): void {
    const room = this.rooms.get(name);
    if (room === undefined) {
      return;
    }
    for (const [other, model] of this.rooms) {
      // a draft conversation left unwritten goes; one whose first message is on its way stays
      if (model.draftTo !== null && other !== name && model.timeline.pendingList.length === 0) {
        this.rooms.delete(other);
      }
    }
    this.current = name;
    if (room.history === 'none' && room.draftTo === null) {
      void this.loadRecent(room);
    }
    this.markRead(room);
    this.changed();
  }

  /** Opens the private conversation with a user: the existing one, or a draft its first message starts. */
  openConversation(user: string): void {
    if (user.toLowerCase() === this.me.toLowerCase()) {
      return;
    }
    const name = conversationName([this.me, user]);
    if (!this.rooms.has(name)) {
      const draft = this.model(name, 'private');
      draft.draftTo = user;
      draft.history = 'loaded';
    }
    this.open(name);
  }

  send(text: string): void {
    const room = this.currentRoom;
    const trimmed = text.trim();
    if (room === null || trimmed.length === 0) {
      return;
    }
    const localId = `local${++this.nextLocalId}`;
    room.timeline.addPending({ localId, text: trimmed, state: 'sending', sentAfter: room.seq });
    this.typingSent.delete(room.name);
    this.changed();
    this.deliver(room, localId, trimmed);
  }

  retry(room: RoomModel, localId: string): void {
    const pending = room.timeline.pending(localId);
    if (pending === undefined) {
      return;
    }
    room.timeline.updatePending(localId, { state: 'sending', error: undefined, sentAfter: room.seq });
    this.changed();
    this.deliver(room, localId, pending.text);
  }

  discard(room: RoomModel, localId: string): void {
    room.timeline.removePending(localId);
    this.changed();
  }

  /** Tells the room I am typing, at most every few seconds. */
  typing(): void {
    const room = this.currentRoom;
    if (room === null || room.draftTo !== null || this.connectionState !== 'open' || this.pacer.waiting) {
      // during a pause asked for by the server, typing notices are simply skipped
      return;
    }
    const now = this.env.now();
    if (now - (this.typingSent.get(room.name) ?? -Infinity) >= TYPING_SENT_EVERY_MS) {
      this.typingSent.set(room.name, now);
      this.connection.tell({ type: 'typing', room: room.name });
    }
  }

  async loadOlder(room: RoomModel): Promise<void> {
    const before = room.timeline.oldestSeq;
    if (room.loadingOlder || !room.hasOlder || room.history !== 'loaded') {
      return;
    }
    room.loadingOlder = true;
    this.changed();
    try {
      const page = await this.history(room.name, before ?? undefined, OLDER_PAGE);
      room.timeline.addAll(page.messages);
      room.hasOlder = page.messages.length === OLDER_PAGE && page.messages[0].seq > 1;
    } catch (error) {
      this.failed(error);
    } finally {
      room.loadingOlder = false;
      this.changed();
    }
  }

  async listRooms(): Promise<void> {
    try {
      const list = await this.connection.request({ type: 'rooms' }) as RoomList;
      this.directory = list.rooms;
      for (const summary of list.rooms) {
        const room = this.rooms.get(summary.room);
        if (room !== undefined) {
          room.visibility = summary.visibility;
        }
      }
      this.changed();
    } catch (error) {
      this.failed(error);
    }
  }

  async join(name: string): Promise<boolean> {
    try {
      const joined = await this.connection.request({ type: 'join', room: name }) as Joined;
      this.open(joined.room);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async create(name: string, visibility: Visibility): Promise<boolean> {
    try {
      const ack = await this.connection.request({ type: 'create', room: name, visibility }) as Ack;
      const room = this.model(ack.room, visibility);
      room.history = 'loaded';
      this.connection.follow(ack.room, 0);
      this.open(ack.room);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async leave(name: string): Promise<void> {
    try {
      await this.connection.request({ type: 'leave', room: name });
    } catch (error) {
      this.failed(error);
    }
  }

  /** Invites a user; in a conversation that opens the group conversation of everyone in it plus them. */
  async invite(name: string, user: string): Promise<boolean> {
    try {
      const ack = await this.connection.request({ type: 'invite', room: name, user }) as Ack;
      if (ack.room !== name) {
        this.model(ack.room, 'private');
        this.open(ack.room);
      } else {
        this.notify(`Invited ${user} to ${name}.`, false);
      }
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  dismissInvitation(room: string): void {
    this.invitations = this.invitations.filter(invitation => invitation.room !== room);
    this.changed();
  }

  /** The page came back on screen: what is shown now is read. */
  pageShown(): void {
    const room = this.currentRoom;
    if (room !== null) {
      this.markRead(room);
      this.changed();
    }
  }

  // ---- what the server says ---------------------------------------------------------------------

  private received(frame: ServerFrame): void {
    switch (frame.type) {
      case ServerType.WELCOME: this.welcome(frame); break;
      case ServerType.MESSAGE: this.message(frame); break;
      case ServerType.RESUMED: this.resumed(frame); break;
      case ServerType.JOINED: this.joined(frame); break;
      case ServerType.LEFT: this.left(frame); break;
      case ServerType.ROOM_DELETED: this.removeRoom(frame.room); break;
      case ServerType.INVITED: this.invited(frame); break;
      case ServerType.PRESENCE: this.presence(frame); break;
      case ServerType.TYPING: this.typed(frame); break;
      case ServerType.ERROR:
        if (frame.id === undefined && frame.code === 'rate_limited') {
          // a refused typing notice or read mark: go quiet for a while
          this.slowDown(frame);
        } else if (frame.id === undefined) {
          this.notify(frame.message, true);
        }
        break;
      default:
        // answers to requests (ack, history, rooms, pong) are handled where they were asked
        return;
    }
    this.changed();
  }

  private welcome(welcome: Welcome): void {
    this.me = welcome.user;
    this.guest = welcome.guest;
    this.ready = true;
    this.unread.welcome(welcome);
    const names = new Set(welcome.rooms.map(room => room.room));
    for (const [name, room] of this.rooms) {
      if (!names.has(name) && room.draftTo === null) {
        this.rooms.delete(name);
      }
    }
    for (const state of welcome.rooms) {
      const room = this.model(state.room, state.visibility);
      room.visibility = state.visibility;
      const resuming = this.connection.lastSeq(state.room) < state.seq;
      if (room.timeline.newestSeq > state.seq) {
        // deleted and made again under the same name while this page was away: a new room
        this.restart(room);
        this.readSent.delete(state.room);
        room.seq = 0;
      } else if (!resuming && room.history !== 'none' && room.timeline.newestSeq < state.seq) {
        // shown here, but the connection did not follow it: load it afresh rather than with a gap
        this.restart(room);
      }
      room.seq = Math.max(room.seq, state.seq);
      if (!resuming) {
        this.settleUnsure(room);
      }
    }
    this.online.clear();
    welcome.online.forEach(user => this.online.add(user));
    this.onlineCount = welcome.onlineCount;
    if (this.current === null || !this.rooms.has(this.current)) {
      this.current = 'general';
    }
    this.open(this.current);
  }

  private message(message: Message): void {
    const room = this.model(message.room, 'private');
    room.timeline.add(message);
    room.seq = Math.max(room.seq, message.seq);
    room.typing.delete(message.from);
    this.unread.message(message, this.viewing());
    if (message.room === this.viewing()) {
      this.markRead(room);
    }
    if (message.room === this.current && message.from !== this.me && room.history === 'loaded') {
      this.announcement = `${message.from}: ${message.text}`;
    }
  }

  private resumed(resumed: Resumed): void {
    for (const [name, state] of Object.entries(resumed.rooms)) {
      const room = this.rooms.get(name);
      if (room === undefined) {
        continue;
      }
      // settled against the replay, which holds the newest messages even when truncated
      this.settleUnsure(room);
      if (state.truncated) {
        // more was missed than a resume replays: load the room afresh, without the gap
        this.restart(room);
        if (this.current === name) {
          void this.loadRecent(room);
        }
      }
    }
  }

  private joined(joined: Joined): void {
    if (joined.members !== undefined && joined.user === this.me) {
      const known = this.directory?.find(room => room.room === joined.room)?.visibility;
      const room = this.model(joined.room, known ?? (isConversation(joined.room) ? 'private' : 'public'));
      if (known === undefined && !isConversation(joined.room)) {
        // joined elsewhere (another tab, an invitation): `joined` does not say whether it is private
        void this.listRooms();
      }
      room.members = [...joined.members];
      room.seq = Math.max(room.seq, joined.seq ?? 0);
      room.draftTo = null;
      this.invitations = this.invitations.filter(invitation => invitation.room !== joined.room);
      return;
    }
    const room = this.rooms.get(joined.room);
    if (room !== undefined && joined.user !== this.me) {
      if (room.members !== null && !room.members.includes(joined.user)) {
        room.members = [...room.members, joined.user];
      }
      room.timeline.notice(`${joined.user} joined`, room.seq);
    }
  }

  private left(left: Left): void {
    if (left.user === this.me) {
      this.removeRoom(left.room);
      return;
    }
    const room = this.rooms.get(left.room);
    if (room !== undefined) {
      room.members = room.members?.filter(member => member !== left.user) ?? null;
      room.typing.delete(left.user);
      room.timeline.notice(`${left.user} left`, room.seq);
    }
  }

  private removeRoom(name: string): void {
    this.rooms.delete(name);
    this.unread.forget(name);
    this.readSent.delete(name);
    this.readsDue.delete(name);
    this.typingSent.delete(name);
    this.directory = this.directory?.filter(room => room.room !== name) ?? null;
    this.invitations = this.invitations.filter(invitation => invitation.room !== name);
    if (this.current === name) {
      this.current = null;
      this.open('general');
    }
  }

  private invited(invited: Invited): void {
    if (!this.invitations.some(invitation => invitation.room === invited.room)) {
      this.invitations = [...this.invitations, invited];
    }
    this.notify(`${invited.by} invited you to ${invited.room}.`, false);
  }

  private presence(presence: Presence): void {
    const had = this.online.has(presence.user);
    if (presence.online && !had) {
      this.online.add(presence.user);
      this.onlineCount++;
    } else if (!presence.online && had) {
      this.online.delete(presence.user);
      this.onlineCount = Math.max(0, this.onlineCount - 1);
    }
  }

  private typed(typing: Typing): void {
    const room = this.rooms.get(typing.room);
    if (room === undefined || typing.user === this.me) {
      return;
    }
    room.typing.set(typing.user, this.env.now() + TYPING_SHOWN_MS);
    this.expireTypingLater();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private deliver(room: RoomModel, localId: string, text: string): void {
    if (this.connectionState !== 'open') {
      // never sent: say so now, rather than wait for a resume that cannot have it
      room.timeline.updatePending(localId, { state: 'failed', error: 'Not sent: not connected right now.' });
      this.changed();
      return;
    }
    const held: Held = { order: ++this.nextOrder, room: room.name, localId };
    if (this.pacer.busy) {
      // the server asked for a pause, or earlier messages still wait: this one goes after them
      this.pacer.hold(held);
      room.timeline.updatePending(localId, { state: 'waiting' });
      this.changed();
      return;
    }
    this.transmit(room, held, text);
  }

  /** A held message's turn came: it goes now, unless it went meanwhile (room left, message discarded). */
  private sendHeld(held: Held): void {
    const room = this.rooms.get(held.room);
    const pending = room?.timeline.pending(held.localId);
    if (room === undefined || pending === undefined) {
      this.pacer.answered(held);
      return;
    }
    room.timeline.updatePending(held.localId, { state: 'sending' });
    this.changed();
    this.transmit(room, held, pending.text);
  }

  private transmit(room: RoomModel, held: Held, text: string): void {
    const localId = held.localId;
    const to = room.draftTo;
    const request = to !== null
      ? this.connection.request({ type: 'dm', to, text }) as Promise<Ack>
      : this.connection.send(room.name, text);
    request.then(ack => {
      const target = this.rooms.get(ack.room) ?? room;
      target.draftTo = null;
      if (ack.seq !== undefined) {
        this.connection.follow(ack.room, ack.seq - 1);
        target.seq = Math.max(target.seq, ack.seq);
        target.timeline.updatePending(localId, { seq: ack.seq });
      }
      this.changed();
      this.pacer.answered(held);
    }, error => {
      const limited = rateLimited(error);
      if (limited !== null && this.connectionState === 'open') {
        // not a failure: it waits out the pause and goes again, in its place
        room.timeline.updatePending(localId, { state: 'waiting' });
        this.slowDown(limited);
        this.pacer.hold(held);
      } else if (error instanceof Disconnected) {
        // it may have been stored: the resume after the reconnect tells
        room.timeline.updatePending(localId, { state: 'unsure' });
      } else {
        room.timeline.updatePending(localId, { state: 'failed', error: reason(error) });
        this.pacer.answered(held);
      }
      this.changed();
    });
  }

  /** The server asked for a pause: one calm notice for the burst of refusals, not one per message. */
  private slowDown(refusal: ErrorFrame): void {
    const wait = waitOf(refusal);
    if (this.pacer.wait(wait)) {
      this.notify(`Slow down a little: your messages will go out in ${seconds(wait)} s.`, false);
    }
  }

  /** The connection dropped: messages held for a pause were never sent, so they fail now, with Retry. */
  private dropHeld(): void {
    for (const held of this.pacer.clear()) {
      this.rooms.get(held.room)?.timeline.updatePending(held.localId, {
        state: 'failed', error: 'Not sent: the connection dropped while it waited.',
      });
    }
  }

  /** Pending messages whose connection dropped before the ack: stored (a copy came back) or lost. */
  private settleUnsure(room: RoomModel): void {
    const claimed = new Set<number>();
    for (const pending of room.timeline.pendingList) {
      if (pending.state !== 'unsure') {
        continue;
      }
      // each stored copy settles one pending message: "ok" sent twice is two messages
      const copy = room.timeline.findMine(this.me, pending.text, pending.sentAfter, claimed);
      if (copy !== undefined) {
        claimed.add(copy.seq);
        room.timeline.removePending(pending.localId);
      } else {
        room.timeline.updatePending(pending.localId, {
          state: 'failed', error: 'The connection dropped before the server had it.',
        });
      }
    }
  }

  private async loadRecent(room: RoomModel): Promise<void> {
    room.history = 'loading';
    this.changed();
    const since = this.env.now() - RECENT_WINDOW_MS;
    let before: number | undefined;
    try {
      for (let pages = 0; pages < RECENT_PAGES_MAX; pages++) {
        const page = await this.history(room.name, before, RECENT_PAGE);
        const recent = page.messages.filter(message => Date.parse(message.ts) >= since);
        room.timeline.addAll(recent);
        if (page.messages.length > 0) {
          this.connection.follow(room.name, page.messages[page.messages.length - 1].seq);
        }
        const oldest = page.messages[0];
        room.hasOlder = oldest !== undefined && oldest.seq > 1
          && (recent.length < page.messages.length || page.messages.length === RECENT_PAGE);
        if (recent.length < page.messages.length || page.messages.length < RECENT_PAGE) {
          break;
        }
        before = oldest.seq;
      }
      room.history = 'loaded';
    } catch (error) {
      room.history = 'none';
      this.failed(error);
    }
    this.changed();
  }

  private history(room: string, before: number | undefined, limit: number): Promise<HistoryPage> {
    return this.connection.request({ type: 'history', room, before, limit }) as Promise<HistoryPage>;
  }

  /** Forgets what the page showed of a room (kept: my pending messages), to load it afresh. */
  private restart(room: RoomModel): void {
    const fresh = new Timeline();
    room.timeline.pendingList.forEach(pending => fresh.addPending(pending));
    room.timeline = fresh;
    room.history = 'none';
  }

  private markRead(room: RoomModel): void {
    if (room.name !== this.viewing()) {
      return;
    }
    const seq = this.unread.read(room.name);
    if (seq === null || seq <= (this.readSent.get(room.name) ?? 0)) {
      return;
    }
    this.readsDue.set(room.name, seq);
    this.flushReadsSoon();
  }

  /** Sends the read marks due now, or once READ_SENT_EVERY_MS has passed since the last ones. */
  private flushReadsSoon(): void {
    if (this.readTimer !== null || this.readsDue.size === 0) {
      return;
    }
    const wait = this.lastReadFlush + READ_SENT_EVERY_MS - this.env.now();
    if (wait <= 0) {
      this.flushReads();
    } else {
      this.readTimer = this.env.clock.setTimeout(() => {
        this.readTimer = null;
        this.flushReads();
      }, wait);
    }
  }

  /** Sends the newest read mark of each room read since the last time. */
  private flushReads(): void {
    if (this.connectionState !== 'open') {
      // sent again after the next welcome, when the room on screen is read
      this.readsDue.clear();
      return;
    }
    if (this.pacer.waiting) {
      // kept: they go when the server's pause is over
      return;
    }
    this.lastReadFlush = this.env.now();
    for (const [room, seq] of this.readsDue) {
      this.readSent.set(room, seq);
      this.connection.tell({ type: 'read', room, seq });
    }
    this.readsDue.clear();
  }

  private viewing(): string | null {
    return this.env.visible() ? this.current : null;
  }

  private model(name: string, visibility: Visibility): RoomModel {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = {
        name, visibility, members: null, seq: 0, timeline: new Timeline(), history: 'none', hasOlder: false,
        loadingOlder: false, typing: new Map(), draftTo: null,
      };
      this.rooms.set(name, room);
    }
    return room;
  }

  private expireTypingLater(): void {
    if (this.typingTimer !== null) {
      return;
    }
    this.typingTimer = this.env.clock.setTimeout(() => {
      this.typingTimer = null;
      const now = this.env.now();
      let left = false;
      for (const room of this.rooms.values()) {
        for (const [user, until] of room.typing) {
          if (until <= now) {
            room.typing.delete(user);
          } else {
            left = true;
          }
        }
      }
      if (left) {
        this.expireTypingLater();
      }
      this.changed();
    }, 1000);
  }

  /**
   * A request that was refused: the server's reason, with its wait if it gave one (calmly). Only refused
   * messages pause what the page sends: a refused create or join says when to try again, and that is all.
   */
  private failed(error: unknown): void {
    this.notify(reason(error), rateLimited(error) === null);
  }

  private notify(text: string, error: boolean): void {
    this.toast = { text, error, id: ++this.nextToast };
    if (this.toastTimer !== null) {
      this.env.clock.clearTimeout(this.toastTimer);
    }
    this.toastTimer = this.env.clock.setTimeout(() => {
      this.toastTimer = null;
      this.toast = null;
      this.changed();
    }, NOTICE_SHOWN_MS);
    this.changed();
  }

  private changed(): void {
    this.listeners.forEach(listener => listener());
  }
}

/** The refusal of a request that was rate_limited, or null for any other failure. */
function rateLimited(error: unknown): ErrorFrame | null {
  return error instanceof RequestError && error.frame.code === 'rate_limited' ? error.frame : null;
}

function reason(error: unknown): string {
  const limited = rateLimited(error);
  if (limited !== null) {
    return withWait(limited.message, waitOf(limited));
  }
  if (error instanceof RequestError) {
    return error.frame.message;
  }
  if (error instanceof Disconnected) {
    return 'Not connected right now: try again once the connection is back.';
  }
  return error instanceof Error ? error.message : String(error);
}
