import { beforeEach, describe, expect, it } from 'vitest';
import { ChatConnection, ConnectionState, Disconnected, PING_EVERY_MS, RequestError } from './connection';
import { FakeSocket, ManualClock } from '../testing/fakes';
import { ServerFrame } from './frames';

const welcome = (rooms: [string, number][]) => ({
  type: 'welcome', user: 'ada', guest: false, online: ['ada'], onlineCount: 1,
  rooms: rooms.map(([room, seq]) => ({ room, seq, unread: 0, visibility: 'public' })),
});
const message = (room: string, seq: number, text = `m${seq}`) =>
  ({ type: 'message', room, seq, from: 'bob', text, ts: '2026-11-22T10:00:00.000Z' });

describe('ChatConnection', () => {
  let sockets: FakeSocket[];
  let clock: ManualClock;
  let frames: ServerFrame[];
  let states: ConnectionState[];
  let connection: ChatConnection;

  beforeEach(() => {
    sockets = [];
    clock = new ManualClock();
    frames = [];
    states = [];
    connection = new ChatConnection(() => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    }, { frame: f => frames.push(f), state: s => states.push(s) }, clock, 500, 30_000);
    connection.start();
  });

  const messages = () => frames.filter(f => f.type === 'message').map(f => `${(f as { room: string }).room}:${(f as { seq: number }).seq}`);

  it('matches answers to requests by id and rejects on the error frame', async () => {
    sockets[0].serve(welcome([['general', 0]]));
    const sent = connection.send('general', 'hi');
    const request = sockets[0].sent[0];
    expect(request).toMatchObject({ type: 'send', room: 'general', text: 'hi' });
    sockets[0].serve({ type: 'ack', id: request.id, room: 'general', seq: 1 });
    await expect(sent).resolves.toMatchObject({ seq: 1 });

    const refused = connection.request({ type: 'join', room: 'secret' });
    sockets[0].serve({ type: 'error', id: sockets[0].sent[1].id, code: 'forbidden', message: 'no' });
    await expect(refused).rejects.toBeInstanceOf(RequestError);
  });

  it('after a drop, reconnects with growing jittered delays and resumes every room from what it has', () => {
    sockets[0].serve(welcome([['general', 10], ['dev', 3]]));
    sockets[0].serve(message('general', 11));
    sockets[0].serve(message('dev', 4));
    const pending = connection.send('general', 'lost?');

    sockets[0].drop(1006);
    expect(states.at(-1)).toBe('reconnecting');
    expect(clock.timers[0].ms).toBe(250); // random 0.5 of 500
    clock.fireNext();
    sockets[1].drop(1006);
    expect(clock.timers[0].ms).toBe(500); // of 1000
    clock.fireNext();

    sockets[2].serve(welcome([['general', 14], ['dev', 4]]));
    expect(sockets[2].sent).toEqual([{ type: 'resume', after: { general: 11 }, id: expect.any(String) }]);
    expect(states.at(-1)).toBe('open');
    return expect(pending).rejects.toBeInstanceOf(Disconnected);
  });

  it('keeps every message once, in whatever order replay and live traffic bring them', () => {
    sockets[0].serve(welcome([['general', 10]]));
    sockets[0].serve(message('general', 11));
    sockets[0].drop(4000, 'slow consumer');
    clock.fireNext();
    sockets[1].serve(welcome([['general', 15]]));
    // live 15 and 14 arrive before the replay of 12-15
    for (const seq of [15, 14, 12, 13, 14, 15]) {
      sockets[1].serve(message('general', seq));
    }
    sockets[1].serve({ type: 'resumed', id: sockets[1].sent[0].id, rooms: { general: { seq: 15, truncated: false } } });
    expect(messages()).toEqual(['general:11', 'general:15', 'general:14', 'general:12', 'general:13']);
    expect(connection.lastSeq('general')).toBe(15);
  });

  it('follows rooms joined after the welcome and forgets rooms left', () => {
    sockets[0].serve(welcome([['general', 0]]));
    sockets[0].serve({ type: 'joined', room: 'dev', user: 'ada', members: ['ada'], seq: 7 });
    sockets[0].serve(message('dev', 7));
    sockets[0].serve(message('dev', 8));
    expect(messages()).toEqual(['dev:8']);
    sockets[0].serve({ type: 'left', room: 'dev', user: 'ada' });
    expect(connection.lastSeq('dev')).toBe(0);
  });

  it('does not reconnect after a policy close, nor after stop', () => {
    sockets[0].serve(welcome([['general', 0]]));
    sockets[0].drop(1008, 'logged out');
    expect(states.at(-1)).toBe('closed');
    expect(clock.timers).toHaveLength(0);

    connection.start();
    connection.stop();
    expect(sockets[1].closedWith).toBe(1000);
    expect(states.at(-1)).toBe('closed');
    expect(clock.timers).toHaveLength(0);
  });

  it('caps the backoff and starts over after a welcome', () => {
    for (let i = 0; i < 12; i++) {
      sockets.at(-1)!.drop();
      clock.value = 1;
      expect(clock.fireNext()).toBeLessThanOrEqual(30_000);
    }
    sockets.at(-1)!.serve(welcome([['general', 0]]));
    sockets.at(-1)!.drop();
    expect(clock.timers[0].ms).toBe(500);
  });

  it('ignores what is not a frame of the contract', () => {
    sockets[0].serve(welcome([['general', 0]]));
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].onmessage?.({ data: '[1,2]' });
    sockets[0].serve({ type: 'from_the_future' });
    expect(frames.map(f => f.type)).toEqual(['welcome']);
  });

  it('waits for the welcome before any request, and starts over when the resume is refused', async () => {
    await expect(connection.request({ type: 'rooms' })).rejects.toBeInstanceOf(Disconnected);
    sockets[0].serve(welcome([['general', 10]]));
    sockets[0].serve(message('general', 11));
    sockets[0].drop();
    clock.fireNext();
    sockets[1].serve(welcome([['general', 20]]));
    const resume = sockets[1].sent[0];
    sockets[1].serve({ type: 'error', id: resume.id, code: 'rate_limited', message: 'busy' });
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets[1].closedWith).toBe(1000);
    clock.fireNext();
    sockets[2].serve(welcome([['general', 20]]));
    expect(sockets[2].sent[0]).toMatchObject({ type: 'resume', after: { general: 11 } });
  });

  it('reconnects after a resume refused as rate_limited no sooner than the wait it was told', () => {
    sockets[0].serve(welcome([['general', 10]]));
    sockets[0].drop();
    clock.fireNext();
    sockets[1].serve(welcome([['general', 20]]));
    sockets[1].serve({
      type: 'error', id: sockets[1].sent[0].id, code: 'rate_limited', message: 'busy', retryAfterMs: 5000,
    });
    // the backoff alone would be 0.5 of 1 s
    expect(clock.timers.map(timer => timer.ms)).toEqual([5000]);
  });

  it('takes a ping refused as rate_limited for an answer: the connection works', () => {
    sockets[0].serve(welcome([['general', 0]]));
    clock.fireWithin(PING_EVERY_MS);
    const ping = sockets[0].last('ping');
    sockets[0].serve({ type: 'error', id: ping.id, code: 'rate_limited', message: 'slow down', retryAfterMs: 50 });
    clock.fireWithin(PING_EVERY_MS);
    expect(states.at(-1)).toBe('open');
    expect(sockets[0].sent.filter(frame => frame.type === 'ping')).toHaveLength(2);
  });

  it('after a truncated resume has the room up to its seq, and does not ask for the skipped part again', () => {
    sockets[0].serve(welcome([['general', 10]]));
    sockets[0].drop();
    clock.fireNext();
    sockets[1].serve(welcome([['general', 5000]]));
    for (let seq = 4001; seq <= 5000; seq++) {
      sockets[1].serve(message('general', seq));
    }
    sockets[1].serve({ type: 'resumed', id: sockets[1].sent[0].id, rooms: { general: { seq: 5000, truncated: true } } });
    expect(connection.lastSeq('general')).toBe(5000);
    sockets[1].drop();
    clock.fireNext();
    sockets[2].serve(welcome([['general', 5001]]));
    expect(sockets[2].sent[0]).toMatchObject({ type: 'resume', after: { general: 5000 } });
  });

  it('takes a room whose seq went back for a new room of the same name', () => {
    sockets[0].serve(welcome([['general', 0], ['dev', 50]]));
    sockets[0].drop();
    clock.fireNext();
    sockets[1].serve(welcome([['general', 0], ['dev', 3]]));
    expect(sockets[1].sent).toEqual([]);
    sockets[1].serve(message('dev', 4));
    expect(messages()).toEqual(['dev:4']);
  });

  it('pings an idle connection and reconnects when no pong comes', () => {
    sockets[0].serve(welcome([['general', 0]]));
    clock.fireWithin(PING_EVERY_MS);
    const ping = sockets[0].sent[0];
    expect(ping).toMatchObject({ type: 'ping' });
    sockets[0].serve({ type: 'pong', id: ping.id });
    clock.fireWithin(PING_EVERY_MS);
    expect(states.at(-1)).toBe('open');
    clock.fireWithin(PING_EVERY_MS);
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets[0].closedWith).toBe(1000);
  });
});
