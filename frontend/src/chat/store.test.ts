import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, ManualClock } from '../testing/fakes';
import { ChatStore, READ_SENT_EVERY_MS, RECENT_WINDOW_MS } from './store';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

const welcome = (rooms: [string, number, number?][]) => ({
  type: 'welcome', user: 'ada', guest: false, online: ['ada', 'bob'], onlineCount: 2,
  rooms: rooms.map(([room, seq, unread]) => ({ room, seq, unread: unread ?? 0, visibility: 'public' })),
});
const message = (room: string, seq: number, from = 'bob', text = `m${seq}`, msAgo = 0) =>
  ({ type: 'message', room, seq, from, text, ts: at(msAgo) });

describe('ChatStore', () => {
  let sockets: FakeSocket[];
  let clock: ManualClock;
  let store: ChatStore;
  let visible: boolean;
  let now: number;

  const socket = () => sockets[sockets.length - 1];
  /** Answers the newest history request with these messages. */
  const answerHistory = (messages: object[]) => {
    const request = socket().last('history');
    socket().serve({ type: 'history', id: request.id, room: request.room, messages });
  };
  const seqsOf = (room: string) => store.rooms.get(room)!.timeline.entries()
    .map(entry => entry.kind === 'message' ? entry.message.seq : entry.kind);

  beforeEach(() => {
    sockets = [];
    clock = new ManualClock();
    visible = true;
    now = NOW;
    store = new ChatStore(() => {
      const fake = new FakeSocket();
      sockets.push(fake);
      return fake;
    }, { clock, now: () => now, visible: () => visible });
    store.start();
  });

  it('opens general with its last ten minutes and offers older messages', async () => {
    socket().serve(welcome([['general', 30]]));
    expect(store.current).toBe('general');
    expect(socket().last('history')).toMatchObject({ room: 'general', limit: 100 });
    answerHistory([
      message('general', 28, 'bob', 'old', RECENT_WINDOW_MS + 1000),
      message('general', 29, 'bob', 'recent', 60_000),
      message('general', 30, 'ada', 'mine', 1000),
    ]);
    await Promise.resolve();
    const room = store.rooms.get('general')!;
    expect(seqsOf('general')).toEqual([29, 30]);
    expect(room.hasOlder).toBe(true);

    void store.loadOlder(room);
    expect(socket().last('history')).toMatchObject({ room: 'general', before: 29, limit: 50 });
    answerHistory([message('general', 27, 'bob', 'x', RECENT_WINDOW_MS * 2), message('general', 28, 'bob', 'old')]);
    await Promise.resolve();
    expect(seqsOf('general')).toEqual([27, 28, 29, 30]);
    expect(room.hasOlder).toBe(false);
  });

  it('shows a sent message as pending until its ack and its message, then once', async () => {
    socket().serve(welcome([['general', 0]]));
    answerHistory([]);
    store.send('  hello  ');
    const sent = socket().last('send');
    expect(sent).toMatchObject({ room: 'general', text: 'hello' });
    expect(seqsOf('general')).toEqual(['pending']);

    socket().serve({ type: 'ack', id: sent.id, room: 'general', seq: 1 });
    await Promise.resolve();
    expect(seqsOf('general')).toEqual(['pending']);
    socket().serve(message('general', 1, 'ada', 'hello'));
    expect(seqsOf('general')).toEqual([1]);
  });

  it('a refused message offers a retry that sends it again', async () => {
    socket().serve(welcome([['general', 0]]));
    store.send('unlucky');
    socket().serve({ type: 'error', id: socket().last('send').id, code: 'internal', message: 'not stored' });
    await Promise.resolve();
    const room = store.rooms.get('general')!;
    const [pending] = room.timeline.pendingList;
    expect(pending).toMatchObject({ state: 'failed', error: 'not stored' });

    store.retry(room, pending.localId);
    expect(room.timeline.pendingList[0].state).toBe('sending');
    expect(socket().sent.filter(frame => frame.type === 'send')).toHaveLength(2);
  });

  it('after a drop, a message whose ack was lost is settled by the resume: stored once, or failed', async () => {
    socket().serve(welcome([['general', 10]]));
    answerHistory([]);
    store.send('did it arrive?');
    store.send('and this one?');
    socket().drop();
    await Promise.resolve();
    const room = store.rooms.get('general')!;
    expect(room.timeline.pendingList.map(pending => pending.state)).toEqual(['unsure', 'unsure']);

    clock.fireNext();
    socket().serve(welcome([['general', 11]]));
    expect(socket().last('resume')).toMatchObject({ after: { general: 10 } });
    socket().serve(message('general', 11, 'ada', 'did it arrive?'));
    socket().serve({ type: 'resumed', id: socket().last('resume').id, rooms: { general: { seq: 11, truncated: false } } });

    expect(seqsOf('general')).toEqual([11, 'pending']);
    expect(room.timeline.pendingList[0]).toMatchObject({ text: 'and this one?', state: 'failed' });
  });

  it('counts unread messages of others in rooms not on screen, once across a resume', async () => {
    socket().serve(welcome([['general', 5], ['dev', 7, 2]]));
    socket().serve(message('dev', 8));
    socket().serve(message('dev', 9, 'ada'));
    socket().serve(message('general', 6));
    expect(store.unread.get('dev')).toBe(3);
    expect(store.unread.get('general')).toBe(0);
    // read marks go out at most every READ_SENT_EVERY_MS, the newest one then
    expect(socket().last('read')).toEqual({ type: 'read', room: 'general', seq: 5 });
    for (let seq = 7; seq <= 100; seq++) {
      socket().serve(message('general', seq));
    }
    clock.fireWithin(READ_SENT_EVERY_MS);
    expect(socket().sent.filter(frame => frame.type === 'read')).toEqual([
      { type: 'read', room: 'general', seq: 5 }, { type: 'read', room: 'general', seq: 100 }]);

    socket().drop();
    clock.fireNext();
    // the server counts 8 and 10 (not mine, 9); the replay of 8-10 must not add to that
    socket().serve(welcome([['general', 100], ['dev', 10, 2]]));
    [8, 9, 10].forEach(seq => socket().serve(message('dev', seq, seq === 9 ? 'ada' : 'bob')));
    expect(store.unread.get('dev')).toBe(2);

    visible = false;
    socket().serve(message('general', 101));
    expect(store.unread.get('general')).toBe(1);
    visible = true;
    store.pageShown();
    expect(store.unread.get('general')).toBe(0);
  });

  it('clicking someone opens a draft conversation that its first message starts with a dm', async () => {
    socket().serve(welcome([['general', 0]]));
    store.openConversation('Bob');
    expect(store.current).toBe('@ada+bob');
    expect(store.currentRoom!.draftTo).toBe('Bob');

    store.send('psst');
    const dm = socket().last('dm');
    expect(dm).toMatchObject({ to: 'Bob', text: 'psst' });
    socket().serve({ type: 'ack', id: dm.id, room: '@ada+bob', seq: 1 });
    await Promise.resolve();
    socket().serve(message('@ada+bob', 1, 'ada', 'psst'));
    expect(store.currentRoom!.draftTo).toBeNull();
    expect(seqsOf('@ada+bob')).toEqual([1]);

    // leaving a draft for another room forgets it; a started conversation stays
    store.openConversation('carol');
    store.open('general');
    expect([...store.rooms.keys()].sort()).toEqual(['@ada+bob', 'general']);
  });

  it('adding a person to a conversation opens the group conversation', async () => {
    socket().serve(welcome([['general', 0], ['@ada+bob', 3]]));
    store.open('@ada+bob');
    void store.invite('@ada+bob', 'carol');
    const invite = socket().last('invite');
    socket().serve({ type: 'ack', id: invite.id, room: '@ada+bob+carol' });
    await Promise.resolve();
    await Promise.resolve();
    expect(store.current).toBe('@ada+bob+carol');
    expect(socket().last('history')).toMatchObject({ room: '@ada+bob+carol' });
  });

  it('notes who joins and leaves, and drops a room I left or that was deleted', () => {
    socket().serve(welcome([['general', 0], ['dev', 4], ['ops', 1]]));
    store.open('dev');
    socket().serve({ type: 'joined', room: 'dev', user: 'carol' });
    socket().serve({ type: 'left', room: 'dev', user: 'bob' });
    const notices = store.rooms.get('dev')!.timeline.entries()
      .flatMap(entry => entry.kind === 'notice' ? [entry.notice.text] : []);
    expect(notices).toEqual(['carol joined', 'bob left']);

    socket().serve({ type: 'left', room: 'dev', user: 'ada' });
    expect(store.rooms.has('dev')).toBe(false);
    expect(store.current).toBe('general');
    socket().serve({ type: 'room_deleted', room: 'ops' });
    expect(store.rooms.has('ops')).toBe(false);
  });

  it('follows presence and shows typing until it expires', () => {
    socket().serve(welcome([['general', 0]]));
    socket().serve({ type: 'presence', user: 'carol', online: true });
    socket().serve({ type: 'presence', user: 'bob', online: false });
    expect([...store.online].sort()).toEqual(['ada', 'carol']);
    expect(store.onlineCount).toBe(2);

    socket().serve({ type: 'typing', room: 'general', user: 'carol' });
    expect(store.typers(store.currentRoom!)).toEqual(['carol']);
    socket().serve(message('general', 1, 'carol'));
    expect(store.typers(store.currentRoom!)).toEqual([]);
  });

  it('one stored copy settles one of two identical messages whose acks were lost', async () => {
    socket().serve(welcome([['general', 10]]));
    answerHistory([]);
    store.send('ok');
    store.send('ok');
    socket().drop();
    await Promise.resolve();
    clock.fireNext();
    socket().serve(welcome([['general', 11]]));
    socket().serve(message('general', 11, 'ada', 'ok'));
    socket().serve({ type: 'resumed', id: socket().last('resume').id, rooms: { general: { seq: 11, truncated: false } } });
    expect(store.rooms.get('general')!.timeline.pendingList.map(pending => pending.state)).toEqual(['failed']);
  });

  it('reloads a room on screen that moved on while this connection did not follow it', async () => {
    socket().serve(welcome([['general', 0], ['@ada+bob', 3]]));
    store.open('@ada+bob');
    void store.invite('@ada+bob', 'carol');
    socket().serve({ type: 'ack', id: socket().last('invite').id, room: '@ada+bob+carol' });
    await Promise.resolve();
    await Promise.resolve();
    answerHistory([]);
    await Promise.resolve();
    socket().drop();
    clock.fireNext();
    socket().serve(welcome([['general', 0], ['@ada+bob', 3], ['@ada+bob+carol', 1]]));
    expect(socket().last('history')).toMatchObject({ room: '@ada+bob+carol' });
    answerHistory([message('@ada+bob+carol', 1, 'carol', 'hi all', 1000)]);
    await Promise.resolve();
    expect(seqsOf('@ada+bob+carol')).toEqual([1]);
  });

  it('a message written while the connection is down fails at once, and goes out on retry once it is back', () => {
    socket().serve(welcome([['general', 0]]));
    socket().drop();
    store.send('offline thought');
    const room = store.rooms.get('general')!;
    expect(room.timeline.pendingList[0]).toMatchObject({ state: 'failed', error: 'Not sent: not connected right now.' });

    clock.fireNext();
    socket().serve(welcome([['general', 0]]));
    store.retry(room, room.timeline.pendingList[0].localId);
    expect(socket().last('send')).toMatchObject({ text: 'offline thought' });
  });

  describe('when the server says rate_limited', () => {
    /** Lets the answers' promise callbacks run. */
    const settle = () => new Promise(resolve => setTimeout(resolve, 0));
    const sends = () => socket().sent.filter(frame => frame.type === 'send');
    const refuse = (request: Record<string, unknown>, retryAfterMs: number, message = 'too many messages; slow down') =>
      socket().serve({ type: 'error', id: request.id, code: 'rate_limited', message, retryAfterMs });
    /** The timers shorter than the notice's and the keep-alive's: the pause's, the read marks'. */
    const shortTimers = () => clock.timers.map(timer => timer.ms).filter(ms => ms <= READ_SENT_EVERY_MS);

    it('a burst refused in part waits the longest wait told, then sends the rest in the order written, with one calm notice', async () => {
      socket().serve(welcome([['general', 0]]));
      answerHistory([]);
      ['a', 'b', 'c', 'd', 'e'].forEach(text => store.send(text));
      const burst = sends();
      socket().serve({ type: 'ack', id: burst[0].id, room: 'general', seq: 1 });
      socket().serve({ type: 'ack', id: burst[1].id, room: 'general', seq: 2 });
      refuse(burst[2], 200);
      refuse(burst[3], 300);
      refuse(burst[4], 200);
      await settle();
      const room = store.rooms.get('general')!;
      expect(room.timeline.pendingList.map(pending => pending.state))
        .toEqual(['sending', 'sending', 'waiting', 'waiting', 'waiting']);
      expect(store.toast).toMatchObject({ error: false, id: 1, text: 'Slow down a little: your messages will go out in 1 s.' });

      // nothing goes out during the pause: a new message waits behind the others, typing is skipped
      store.send('f');
      store.typing();
      expect(sends()).toHaveLength(5);
      expect(socket().sent.filter(frame => frame.type === 'typing')).toEqual([]);
      expect(shortTimers()).toEqual([300]);

      clock.fireWithin(300);
      const resent = () => sends().slice(burst.length).map(frame => frame.text);
      const waited = ['c', 'd', 'e', 'f'];
      for (const [index, text] of waited.entries()) {
        // one at a time, each once the one before is stored
        expect(resent()).toEqual(waited.slice(0, index + 1));
        socket().serve({ type: 'ack', id: socket().last('send').id, room: 'general', seq: index + 3 });
        await settle();
        expect(room.timeline.pendingList.find(pending => pending.text === text)?.seq).toBe(index + 3);
      }
      expect(resent()).toEqual(waited);
      ['a', 'b', 'c', 'd', 'e', 'f'].forEach((text, index) => socket().serve(message('general', index + 1, 'ada', text)));
      expect(room.timeline.entries().map(entry => entry.kind === 'message' ? entry.message.text : entry.kind))
        .toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(store.toast?.id).toBe(1);
    });

    it('a message refused again on its way after the pause waits once more, and none overtakes it', async () => {
      socket().serve(welcome([['general', 0]]));
      answerHistory([]);
      store.send('a');
      refuse(socket().last('send'), 200);
      await settle();
      store.send('b');
      clock.fireWithin(200);
      refuse(socket().last('send'), 250);
      await settle();
      expect(sends().map(frame => frame.text)).toEqual(['a', 'a']);
      expect(shortTimers()).toEqual([250]);
      clock.fireWithin(250);
      socket().serve({ type: 'ack', id: socket().last('send').id, room: 'general', seq: 1 });
      await settle();
      expect(sends().map(frame => frame.text)).toEqual(['a', 'a', 'a', 'b']);
      expect(store.toast?.id).toBe(1);
    });

    it('while the server asks for a pause, read marks wait for its end', () => {
      socket().serve(welcome([['general', 5]]));
      expect(socket().last('read')).toMatchObject({ seq: 5 });
      now += 10 * READ_SENT_EVERY_MS;
      // a refused read mark or typing notice has no id
      socket().serve({ type: 'error', code: 'rate_limited', message: 'too many frames; slow down', retryAfterMs: 400 });
      expect(store.toast).toMatchObject({ error: false });
      socket().serve(message('general', 6));
      expect(socket().last('read')).toMatchObject({ seq: 5 });

      clock.fireWithin(400);
      expect(socket().last('read')).toEqual({ type: 'read', room: 'general', seq: 6 });
      store.typing();
      expect(socket().last('typing')).toEqual({ type: 'typing', room: 'general' });
    });

    it('any other request refused shows the wait, is not sent again by itself, and holds up no message', async () => {
      socket().serve(welcome([['general', 0]]));
      refuse(socket().last('history'), 2500, 'too many frames; slow down');
      await settle();
      expect(store.toast).toMatchObject({ error: false, text: 'too many frames; slow down (try again in 3 s)' });

      const joining = store.join('dev');
      refuse(socket().last('join'), 800, 'too many frames; slow down');
      expect(await joining).toBe(false);
      expect(store.toast).toMatchObject({ text: 'too many frames; slow down (try again in 1 s)' });
      while (shortTimers().length > 0) {
        clock.fireWithin(READ_SENT_EVERY_MS);
      }
      expect(socket().sent.filter(frame => frame.type === 'history' || frame.type === 'join')).toHaveLength(2);
      // such a refusal pauses nothing: a message goes out at once
      store.send('not held');
      expect(socket().last('send')).toMatchObject({ text: 'not held' });
    });

    it('a message held for a pause fails, with Retry, when the connection drops', async () => {
      socket().serve(welcome([['general', 0]]));
      store.send('held');
      refuse(socket().last('send'), 200);
      await settle();
      socket().drop();
      const room = store.rooms.get('general')!;
      expect(room.timeline.pendingList[0])
        .toMatchObject({ state: 'failed', error: 'Not sent: the connection dropped while it waited.' });
      expect(shortTimers()).not.toContain(200);
    });
  });
});
