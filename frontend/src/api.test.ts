import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, retryAfterMs } from './api';

/** The server's answer to every call, as a fake fetch gives it. */
function answer(status: number, body: object, headers: Record<string, string> = {}): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', ...headers },
  })));
}

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(() => null, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('api', () => {
  beforeEach(() => vi.stubGlobal('document', { cookie: '' }));
  afterEach(() => vi.unstubAllGlobals());

  it('a 429 says how long to wait, from its Retry-After', async () => {
    answer(429, { code: 'rate_limited', message: 'too many sign-ins from your address' }, { 'Retry-After': '42' });
    const error = await refusal(api.login('ada', 'secret123'));
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 42_000 });
    expect(error.message).toBe('too many sign-ins from your address (try again in 42 s)');

    answer(429, { code: 'rate_limited', message: 'too many sign-ins from your address' }, { 'Retry-After': '3' });
    expect((await refusal(api.checkNickname('ada'))).message).toContain('(try again in 3 s)');
  });

  it('other refusals, and a 429 without a wait, keep the server\'s message as it is', async () => {
    answer(409, { code: 'name_taken', message: 'ada is taken' }, { 'Retry-After': '5' });
    expect(await refusal(api.register('ada', 'secret123'))).toMatchObject({ message: 'ada is taken', retryAfterMs: undefined });
    answer(429, { code: 'rate_limited', message: 'busy' });
    expect(await refusal(api.login('ada', 'secret123'))).toMatchObject({ message: 'busy', retryAfterMs: undefined });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T10:00:00.000Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
