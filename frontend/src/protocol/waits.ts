import { ErrorFrame } from './frames';

/** The wait assumed for a `rate_limited` that names none (as the server's own for a busy store). */
export const DEFAULT_WAIT_MS = 1000;

/** How long a `rate_limited` answer asks the client to wait, in ms. */
export function waitOf(refusal: ErrorFrame): number {
  const told = refusal.retryAfterMs;
  return typeof told === 'number' && Number.isFinite(told) && told >= 0 ? told : DEFAULT_WAIT_MS;
}

/** Whole seconds, rounded up: a person who waits that long is never early. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A refusal's message with its wait: "too many messages (try again in 2 s)". */
export function withWait(message: string, ms: number): string {
  return `${message} (try again in ${seconds(ms)} s)`;
}
