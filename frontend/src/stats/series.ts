import { Stats } from '../api';

/** How much of the past the charts show. */
export const WINDOW_POINTS = 120;

/** The statistics sampled once a second or so, as columns uPlot draws: times, then one column per line. */
export class Series {
  readonly times: number[] = [];
  readonly columns: number[][];

  constructor(private readonly pick: (stats: Stats) => number[]) {
    this.columns = [];
  }

  add(seconds: number, stats: Stats): void {
    const values = this.pick(stats);
    while (this.columns.length < values.length) {
      this.columns.push([]);
    }
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
