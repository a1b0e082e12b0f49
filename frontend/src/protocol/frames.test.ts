import { describe, expect, it } from 'vitest';
import { ClientType, parseServerFrame, ServerType, textLength } from './frames';

describe('frames', () => {
  it('has the type strings of the contract, once each', () => {
    expect(Object.values(ClientType)).toEqual(['send', 'history', 'resume', 'read', 'typing', 'ping',
      'presence_sub', 'create', 'rooms', 'join', 'leave', 'invite', 'dm']);
    expect(Object.values(ServerType)).toEqual(['welcome', 'ack', 'message', 'history', 'resumed', 'presence',
      'typing', 'pong', 'error', 'joined', 'left', 'invited', 'room_deleted', 'rooms']);
  });

  it('parses server frames and ignores anything else', () => {
    expect(parseServerFrame('{"type":"pong","id":"p"}')).toEqual({ type: 'pong', id: 'p' });
    expect(parseServerFrame('{"type":"nope"}')).toBeNull();
    expect(parseServerFrame('"text"')).toBeNull();
    expect(parseServerFrame('{')).toBeNull();
  });

  it('counts text as the server does: code points after trimming', () => {
    expect(textLength('  🎉🎉 ')).toBe(2);
  });
});
