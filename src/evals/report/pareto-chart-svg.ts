/**
 * Inline SVG scatter for one suite: cost per success (log x) against pass rate (y), Wilson
 * intervals as error bars, the Pareto front drawn as a staircase and its points filled. No
 * script and no external assets, so the HTML report opens anywhere, offline.
 */
import { formatUsd, NANO_PER_USD } from '../../core/money.js';
import type { ModelSuiteMetrics } from '../stats/model-metrics.js';

const WIDTH = 640;
const HEIGHT = 380;
const MARGIN = { left: 64, right: 24, top: 20, bottom: 52 };
const FREE_GUTTER = 36;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

interface Axis {
  minDecade: number;
  maxDecade: number;
}

function costAxis(costsUsd: number[]): Axis {
  const positive = costsUsd.filter((cost) => cost > 0);
  if (positive.length === 0) return { minDecade: -6, maxDecade: -3 };
  let minDecade = Math.floor(Math.log10(Math.min(...positive)));
  let maxDecade = Math.ceil(Math.log10(Math.max(...positive)));
  if (maxDecade <= minDecade) maxDecade = minDecade + 1;
  if (maxDecade - minDecade < 2) minDecade -= 1;
  return { minDecade, maxDecade };
}

export function renderParetoChart(suite: string, metrics: readonly ModelSuiteMetrics[], front: readonly string[]): string {
  const placed = metrics.filter((m) => m.costPerSuccess !== null);
  const usd = (nano: number) => nano / NANO_PER_USD;
  const axis = costAxis(placed.flatMap((m) => [usd(m.costPerSuccess?.lowerNano ?? 0), usd(m.costPerSuccess?.valueNano ?? 0)]));
  const plotLeft = MARGIN.left + FREE_GUTTER;
  const plotRight = WIDTH - MARGIN.right;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const x = (costUsd: number) => {
    if (costUsd <= 0) return MARGIN.left + FREE_GUTTER / 2;
    const clamped = Math.min(Math.max(Math.log10(costUsd), axis.minDecade), axis.maxDecade);
    return plotLeft + ((clamped - axis.minDecade) / (axis.maxDecade - axis.minDecade)) * (plotRight - plotLeft);
  };
  const y = (rate: number) => plotBottom - rate * (plotBottom - MARGIN.top);
  const parts: string[] = [];
  for (let decade = axis.minDecade; decade <= axis.maxDecade; decade += 1) {
    const px = x(10 ** decade);
    parts.push(`<line class="grid" x1="${px.toFixed(1)}" y1="${MARGIN.top}" x2="${px.toFixed(1)}" y2="${plotBottom}"/>`);
    parts.push(`<text class="tick" x="${px.toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escapeXml(formatUsd(Math.round(10 ** decade * NANO_PER_USD)))}</text>`);
  }
  parts.push(`<text class="tick" x="${MARGIN.left + FREE_GUTTER / 2}" y="${plotBottom + 16}" text-anchor="middle">$0</text>`);
  for (let rate = 0; rate <= 1.0001; rate += 0.25) {
    parts.push(`<line class="grid" x1="${MARGIN.left}" y1="${y(rate).toFixed(1)}" x2="${plotRight}" y2="${y(rate).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${(y(rate) + 4).toFixed(1)}" text-anchor="end">${Math.round(rate * 100)}%</text>`);
  }
  parts.push(`<text class="axis-title" x="${(plotLeft + plotRight) / 2}" y="${HEIGHT - 10}" text-anchor="middle">Cost per successful task (USD, log scale)</text>`);
  parts.push(`<text class="axis-title" transform="translate(16 ${(MARGIN.top + plotBottom) / 2}) rotate(-90)" text-anchor="middle">Pass rate</text>`);

  const frontPoints = placed.filter((m) => front.includes(m.model)).sort((a, b) => (a.costPerSuccess?.valueNano ?? 0) - (b.costPerSuccess?.valueNano ?? 0));
  if (frontPoints.length > 1) {
    const steps: string[] = [];
    frontPoints.forEach((m, index) => {
      const px = x(usd(m.costPerSuccess?.valueNano ?? 0));
      const py = y(m.passRate);
      if (index > 0) steps.push(`${px.toFixed(1)},${y(frontPoints[index - 1]?.passRate ?? 0).toFixed(1)}`);
      steps.push(`${px.toFixed(1)},${py.toFixed(1)}`);
    });
    parts.push(`<polyline class="pareto-front" points="${steps.join(' ')}"><title>Pareto front</title></polyline>`);
  }
  for (const m of placed) {
    const cost = m.costPerSuccess;
    if (!cost) continue;
    const px = x(usd(cost.valueNano));
    const py = y(m.passRate);
    const onFront = front.includes(m.model);
    const right = cost.upperNano === null ? plotRight : x(usd(cost.upperNano));
    parts.push(`<line class="err" x1="${x(usd(cost.lowerNano)).toFixed(1)}" y1="${py.toFixed(1)}" x2="${right.toFixed(1)}" y2="${py.toFixed(1)}"/>`);
    parts.push(`<line class="err" x1="${px.toFixed(1)}" y1="${y(m.passRateLower).toFixed(1)}" x2="${px.toFixed(1)}" y2="${y(m.passRateUpper).toFixed(1)}"/>`);
    parts.push(`<circle class="${onFront ? 'point pareto' : 'point'}" cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="${onFront ? 6 : 5}"><title>${escapeXml(`${m.model}: ${(m.passRate * 100).toFixed(1)}% at ${formatUsd(Math.round(cost.valueNano))} per success${onFront ? ' (Pareto front)' : ''}`)}</title></circle>`);
    parts.push(`<text class="label" x="${(px + 8).toFixed(1)}" y="${(py - 8).toFixed(1)}">${escapeXml(m.model)}${onFront ? ' ★' : ''}</text>`);
  }
  const unplaced = metrics.filter((m) => m.costPerSuccess === null).map((m) => m.model);
  const caption = unplaced.length > 0 ? `<text class="tick" x="${plotRight}" y="${MARGIN.top + 12}" text-anchor="end">not placed (no passes or unpriced): ${escapeXml(unplaced.join(', '))}</text>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(`${suite}: cost per success against pass rate, Pareto front marked`)}">`,
    ...parts,
    caption,
    `<g class="legend" transform="translate(${plotLeft + 8} ${MARGIN.top + 8})"><circle class="point pareto" cx="6" cy="0" r="6"/><text x="16" y="4">Pareto front ★</text><circle class="point" cx="110" cy="0" r="5"/><text x="120" y="4">dominated</text></g>`,
    '</svg>',
  ].join('\n');
}
