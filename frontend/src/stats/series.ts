import { Stats } from '../api';

/** How much of the past the charts show. */
export const WINDOW_POINTS = 120;

/** The statistics sampled once a second or so, as columns uPlot draws: times, then one column per line. */
export class Series {
  readonly times: number[] = [];
  readonly columns: number[][];

  /**
   * @param lines how many values {@code pick} gives: every column exists from the start, so a chart drawn
   *              before the first sample has all its lines (uPlot reads each series' column)
   */
  constructor(lines: number, private readonly pick: (stats: Stats) => number[]) {
    this.columns = Array.from({ length: lines }, () => []);
  }

  add(seconds: number, stats: Stats): void {
    const values = this.pick(stats);
    this.times.push(seconds);
    values.forEach((value, index) => this.columns[index].push(value));
    if (this.times.length > WINDOW_POINTS) {
      this.times.shift();
      this.columns.forEach(column => column.shift());
    }
  }

  get data(): [number[], ...number[][]] {
    return [this.times, ...this.columns];
  }
}
