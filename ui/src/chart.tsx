/** A uPlot time-series chart; uPlot draws on canvas and stays fast with thousands of points. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export interface Series { label: string; values: Array<number | null>; dash?: boolean }

export function TimeChart(props: { times: number[]; series: Series[]; height?: number; testId?: string; format?: (value: number) => string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const data: uPlot.AlignedData = [props.times.map((t) => t / 1000), ...props.series.map((series) => series.values)];
    const format = props.format;
    const plot = new uPlot({
      width: Math.max(320, element.clientWidth || 800),
      height: props.height ?? 220,
      series: [{}, ...props.series.map((series, index) => ({
        label: series.label, stroke: PALETTE[index % PALETTE.length], width: 1.5, ...(series.dash ? { dash: [6, 4] } : {}),
        ...(format ? { value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) } : {}),
      }))],
      axes: [{}, { size: 70, ...(format ? { values: (_u: uPlot, ticks: number[]) => ticks.map(format) } : {}) }],
      scales: { x: { time: true } },
    }, data, element);
    const resize = () => plot.setSize({ width: Math.max(320, element.clientWidth), height: props.height ?? 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [props.times, props.series]);
  return <div class="chart" ref={host} data-testid={props.testId} />;
}
