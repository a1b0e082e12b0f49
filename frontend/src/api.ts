import { withWait } from './protocol/waits';

/**
 * The server's HTTP API (PROTOCOL.md, "Identity" and "HTTP API"): sign-in, the guest check and the
 * statistics. Errors are the contract's `{"code","message"}` bodies, thrown as ApiError; a 429's
 * message says how long to wait, from its `Retry-After`.
 */

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface Me { username: string; guest: boolean }

export interface Stats {
  usersOnline: number;
  connections: number;
  rooms: number;
  messagesStored: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  slowConsumerDisconnects: number;
  uptimeSeconds: number;
  topRooms: { room: string; messagesPerMinute: number }[];
}

/** The CSRF token the server put in the XSRF-TOKEN cookie, sent back as a header on changes. */
function csrfHeader(): Record<string, string> {
  const cookie = document.cookie.split('; ').find(part => part.startsWith('XSRF-TOKEN='));
  return cookie === undefined ? {} : { 'X-XSRF-TOKEN': decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...csrfHeader() };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) {
    return undefined as T;
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = json as { code?: string; message?: string } | null;
    const message = error?.message ?? `HTTP ${response.status}`;
    const wait = response.status === 429 ? retryAfterMs(response.headers.get('Retry-After')) : undefined;
    throw new ApiError(response.status, error?.code ?? 'internal',
      wait === undefined ? message : withWait(message, wait), wait);
  }
  return json as T;
}

/** The standard `Retry-After` header, seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) {
    return undefined;
  }
  if (/^\s*\d+\s*$/.test(header)) {
    return Number(header) * 1000;
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export const api = {
  /** Who the session cookie says we are; null when nobody is signed in. */
  async me(): Promise<Me | null> {
    try {
      return await call<Me>('GET', '/api/auth/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        return null;
      }
      throw error;
    }
  },
  login: (username: string, password: string) =>
    call<{ username: string; token: string }>('POST', '/api/auth/login', { username, password }),
  register: (username: string, password: string) =>
    call<Me>('POST', '/api/auth/register', { username, password }),
  logout: () => call<void>('POST', '/api/auth/logout'),
  /** Whether a guest could take this nickname now (a browser cannot read a refused handshake's 409). */
  checkNickname: (nickname: string) =>
    call<void>('GET', `/api/auth/guest?nickname=${encodeURIComponent(nickname)}`),
  stats: () => call<Stats>('GET', '/api/stats'),
};
