import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export interface Line { label: string; color: string }

/**
 * A live line chart (uPlot: a canvas, about 50 KB, fast enough to redraw every second). Its styles
 * are set through the DOM, which the server's Content-Security-Policy allows.
 */
export function LineChart({ title, lines, data }: { title: string; lines: Line[]; data: uPlot.AlignedData }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current!;
    const axis = getComputedStyle(element).color;
    const grid = { stroke: 'rgba(128,128,128,0.2)' };
    const plot = new uPlot({
      width: Math.max(element.clientWidth, 280),
      height: 220,
      series: [{}, ...lines.map(line => ({ label: line.label, stroke: line.color, width: 2 }))],
      axes: [
        {
          stroke: axis, grid, space: 90,
          // whole seconds at least: samples come once a second
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600],
          values: (_u, ticks) => ticks.map(tick => clock.format(tick * 1000)),
        },
        { stroke: axis, grid },
      ],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      legend: { live: false },
    }, data, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <figure class="chart" aria-label={title} data-points={data[0].length} ref={host} />;
}
