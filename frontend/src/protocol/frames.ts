/**
 * The Parley wire contract, version 1, as data: every frame of PROTOCOL.md, one type each, and the
 * type strings in one place (the server's FrameTypes). Mirrors the server's protocol package.
 */

export const ClientType = {
  SEND: 'send',
  HISTORY: 'history',
  RESUME: 'resume',
  READ: 'read',
  TYPING: 'typing',
  PING: 'ping',
  PRESENCE_SUB: 'presence_sub',
  CREATE: 'create',
  ROOMS: 'rooms',
  JOIN: 'join',
  LEAVE: 'leave',
  INVITE: 'invite',
  DM: 'dm',
} as const;

export const ServerType = {
  WELCOME: 'welcome',
  ACK: 'ack',
  MESSAGE: 'message',
  HISTORY: 'history',
  RESUMED: 'resumed',
  PRESENCE: 'presence',
  TYPING: 'typing',
  PONG: 'pong',
  ERROR: 'error',
  JOINED: 'joined',
  LEFT: 'left',
  INVITED: 'invited',
  ROOM_DELETED: 'room_deleted',
  ROOMS: 'rooms',
} as const;

export type Visibility = 'public' | 'private';

// ---- client frames ----------------------------------------------------------------------------

interface Request {
  /** Optional, at most 64 characters, echoed in the reply. */
  id?: string;
}

export interface Send extends Request { type: 'send'; room: string; text: string }
export interface History extends Request { type: 'history'; room: string; before?: number; limit?: number }
export interface Resume extends Request { type: 'resume'; after: Record<string, number> }
export interface Read extends Request { type: 'read'; room: string; seq: number }
export interface TypingRequest extends Request { type: 'typing'; room: string }
export interface Ping extends Request { type: 'ping' }
export interface PresenceSub extends Request { type: 'presence_sub'; users: string[] }
export interface Create extends Request { type: 'create'; room: string; visibility?: Visibility }
export interface RoomsRequest extends Request { type: 'rooms' }
export interface Join extends Request { type: 'join'; room: string }
export interface Leave extends Request { type: 'leave'; room: string }
export interface Invite extends Request { type: 'invite'; room: string; user: string }
export interface Dm extends Request { type: 'dm'; to: string; text: string }

export type ClientFrame = Send | History | Resume | Read | TypingRequest | Ping | PresenceSub | Create
  | RoomsRequest | Join | Leave | Invite | Dm;

// ---- server frames ----------------------------------------------------------------------------

export interface RoomState { room: string; seq: number; unread: number; visibility: Visibility }
export interface Welcome {
  type: 'welcome'; user: string; guest: boolean; rooms: RoomState[]; online: string[]; onlineCount: number;
}
/** `seq` is absent for `create` and `invite`. */
export interface Ack { type: 'ack'; id?: string; room: string; seq?: number }
export interface Message { type: 'message'; room: string; seq: number; from: string; text: string; ts: string }
export interface HistoryPage { type: 'history'; id?: string; room: string; messages: Message[] }
export interface Resumed { type: 'resumed'; id?: string; rooms: Record<string, { seq: number; truncated: boolean }> }
export interface Presence { type: 'presence'; user: string; online: boolean }
export interface Typing { type: 'typing'; room: string; user: string }
export interface Pong { type: 'pong'; id?: string }
/** `retryAfterMs`: on `rate_limited`, how long until the request would be accepted (PROTOCOL.md, "Abuse limits"). */
export interface ErrorFrame { type: 'error'; id?: string; code: ErrorCode; message: string; retryAfterMs?: number }
/** The full form (to the joiner) has `members` and `seq`; others get the short form. */
export interface Joined { type: 'joined'; id?: string; room: string; user: string; members?: string[]; seq?: number }
export interface Left { type: 'left'; id?: string; room: string; user: string }
export interface Invited { type: 'invited'; room: string; by: string }
export interface RoomDeleted { type: 'room_deleted'; room: string }
export interface RoomSummary { room: string; visibility: Visibility; members: number; present: boolean }
export interface RoomList { type: 'rooms'; id?: string; rooms: RoomSummary[] }

export type ServerFrame = Welcome | Ack | Message | HistoryPage | Resumed | Presence | Typing | Pong | ErrorFrame
  | Joined | Left | Invited | RoomDeleted | RoomList;

export type ErrorCode = 'bad_request' | 'too_large' | 'no_such_room' | 'room_exists' | 'not_member' | 'forbidden'
  | 'no_such_user' | 'name_taken' | 'unauthorized' | 'rate_limited' | 'internal';

export const CloseCode = {
  NORMAL: 1000,
  /** The server is shutting down: reconnect (elsewhere) and resume. */
  GOING_AWAY: 1001,
  /** Policy: repeated abuse, a name race, or the login token was logged out. Do not reconnect as is. */
  POLICY: 1008,
  TOO_BIG: 1009,
  /** Slow consumer: reconnect and resume, nothing is lost. */
  SLOW_CONSUMER: 4000,
} as const;

export const Limits = {
  TEXT_MAX: 4000,
  ID_MAX: 64,
  NAME: /^[A-Za-z0-9_.-]{1,32}$/,
  ROOM: /^@?[A-Za-z0-9_.+-]{1,64}$/,
} as const;

const SERVER_TYPES = new Set<string>(Object.values(ServerType));

/**
 * A text frame from the server, or null for anything that is not a JSON object with a known
 * type (a newer server may add frames: they are ignored, not fatal).
 */
export function parseServerFrame(text: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return null;
  }
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && SERVER_TYPES.has(type) ? value as ServerFrame : null;
}

/** Text as the server counts it: code points after trimming. */
export function textLength(text: string): number {
  return [...text.trim()].length;
}
