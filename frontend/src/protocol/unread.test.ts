import { describe, expect, it } from 'vitest';
import { UnreadCounts, unreadLabel } from './unread';
import { Message, Welcome } from './frames';

const welcome: Welcome = {
  type: 'welcome', user: 'ada', guest: false, online: [], onlineCount: 0,
  rooms: [{ room: 'general', seq: 40, unread: 0, visibility: 'public' },
    { room: 'dev', seq: 9, unread: 3, visibility: 'private' }],
};
const from = (who: string, room: string, seq: number): Message =>
  ({ type: 'message', room, seq, from: who, text: 'x', ts: '2026-11-22T10:00:00.000Z' });

describe('UnreadCounts', () => {
  it('starts from the welcome, counts others in rooms not on screen, and reads up to the last seq', () => {
    const unread = new UnreadCounts('ada');
    unread.welcome(welcome);
    expect(unread.get('dev')).toBe(3);

    unread.message(from('bob', 'dev', 10), 'general');
    unread.message(from('ada', 'dev', 11), 'general');
    unread.message(from('bob', 'general', 41), 'general');
    expect(unread.get('dev')).toBe(4);
    expect(unread.get('general')).toBe(0);
    expect(unread.total()).toBe(4);

    expect(unread.read('dev')).toBe(11);
    expect(unread.get('dev')).toBe(0);
    expect(unread.read('nowhere')).toBeNull();
  });
});

describe('unreadLabel', () => {
  it('shows a count as it is below the bound and 999+ from the bound up (the server counts no further)', () => {
    expect(unreadLabel(1)).toBe('1');
    expect(unreadLabel(999)).toBe('999');
    expect(unreadLabel(1000)).toBe('999+');
    expect(unreadLabel(1003)).toBe('999+');
  });

  it('shows a welcome that says the bound as 999+', () => {
    const unread = new UnreadCounts('ada');
    unread.welcome({ ...welcome, rooms: [{ room: 'general', seq: 5000, unread: 1000, visibility: 'public' }] });

    expect(unreadLabel(unread.get('general'))).toBe('999+');
  });
});
