import { describe, expect, it } from 'vitest';
import { Stats } from '../api';
import { Series, WINDOW_POINTS } from './series';

const stats = (messages: number, deliveries: number): Stats => ({
  usersOnline: 1, connections: 1, rooms: 1, messagesStored: 0, messagesPerSecond: messages,
  deliveriesPerSecond: deliveries, slowConsumerDisconnects: 0, uptimeSeconds: 1, topRooms: [],
});

describe('Series', () => {
  it('keeps one column per line and only the last window of samples', () => {
    const series = new Series(2, sample => [sample.messagesPerSecond, sample.deliveriesPerSecond]);
    for (let second = 0; second < WINDOW_POINTS + 5; second++) {
      series.add(second, stats(second, second * 2));
    }
    const [times, messages, deliveries] = series.data;
    expect(times).toHaveLength(WINDOW_POINTS);
    expect(times[0]).toBe(5);
    expect(messages[WINDOW_POINTS - 1]).toBe(WINDOW_POINTS + 4);
    expect(deliveries[WINDOW_POINTS - 1]).toBe((WINDOW_POINTS + 4) * 2);
  });

  it('has every line\'s column before the first sample: a chart drawn at once finds them all', () => {
    const series = new Series(2, sample => [sample.connections, sample.usersOnline]);
    expect(series.data).toEqual([[], [], []]);
  });
});
