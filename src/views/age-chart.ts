/**
 * The history of the data's age as a small SVG chart for the status page: age rises by one hour
 * per hour and drops at each import, so the line is a saw; the warning and critical limits are
 * drawn across it. Pure functions: points in, markup out, no clock and no database.
 *
 * The markup is built here from numbers and escaped label text, so the page may insert it as
 * is. It carries no `style` attribute or element (the station's CSP allows only its own style
 * sheet); colours are SVG presentation attributes, which the CSP does not govern. For people who
 * cannot see it the chart is role="img" with a <title>, and the page puts a text summary beside it.
 */

export interface AgePoint {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The data's age at that moment, in hours. */
  readonly ageHours: number;
}

const HOUR = 3_600_000;

/**
 * The saw of ages over [from, to] from the imports (each: when it was imported, and the time the
 * data was exported from the journal). Before the first import in range the age of the copy then
 * active is carried in from `from`; with no copy at all there is no line until the first import.
 * At each import the line has two points at the same moment: the age just before and just after.
 */
export function agePoints(
  imports: readonly { readonly importedAt: string; readonly transactionTime: string }[],
  from: number,
  to: number,
): AgePoint[] {
  const sorted = imports
    .map((i) => ({ at: Date.parse(i.importedAt), tx: Date.parse(i.transactionTime) }))
    .filter((i) => Number.isFinite(i.at) && Number.isFinite(i.tx))
    .sort((a, b) => a.at - b.at);
  const points: AgePoint[] = [];
  let activeTx: number | undefined;
  for (const i of sorted) {
    if (i.at <= from) {
      activeTx = i.tx;
      continue;
    }
    if (i.at > to) break;
    if (activeTx !== undefined) {
      if (points.length === 0) points.push({ at: from, ageHours: (from - activeTx) / HOUR });
      points.push({ at: i.at, ageHours: (i.at - activeTx) / HOUR });
    }
    points.push({ at: i.at, ageHours: Math.max(0, (i.at - i.tx) / HOUR) });
    activeTx = i.tx;
  }
  if (activeTx !== undefined) {
    if (points.length === 0) points.push({ at: from, ageHours: (from - activeTx) / HOUR });
    points.push({ at: to, ageHours: (to - activeTx) / HOUR });
  }
  return points;
}

export interface AgeSummary {
  readonly currentHours: number | null;
  readonly maxHours: number | null;
  /** How many imports the range holds. */
  readonly imports: number;
  /** Hours of the range spent past each limit. */
  readonly hoursOverWarning: number;
  readonly hoursOverCritical: number;
}

/**
 * The facts the text beside the chart tells. An import is two points at one moment, or the first
 * point when it lies after `from` (the line starts with the first copy the station ever had).
 */
export function summariseAges(
  points: readonly AgePoint[],
  limits: { readonly warningHours: number; readonly criticalHours: number },
  from: number,
): AgeSummary {
  let imports = points.length > 0 && points[0]!.at > from ? 1 : 0;
  let over = { warning: 0, critical: 0 };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.at === b.at) {
      imports++;
      continue;
    }
    over = {
      warning: over.warning + timeAbove(a, b, limits.warningHours),
      critical: over.critical + timeAbove(a, b, limits.criticalHours),
    };
  }
  const ages = points.map((p) => p.ageHours);
  return {
    currentHours: points.length > 0 ? points[points.length - 1]!.ageHours : null,
    maxHours: ages.length > 0 ? Math.max(...ages) : null,
    imports,
    hoursOverWarning: over.warning / HOUR,
    hoursOverCritical: over.critical / HOUR,
  };
}

/** Milliseconds of a straight segment a→b spent above `limit`. */
function timeAbove(a: AgePoint, b: AgePoint, limit: number): number {
  const span = b.at - a.at;
  if (a.ageHours >= limit && b.ageHours >= limit) return span;
  if (a.ageHours < limit && b.ageHours < limit) return 0;
  const cross = a.at + (span * (limit - a.ageHours)) / (b.ageHours - a.ageHours);
  return a.ageHours >= limit ? cross - a.at : b.at - cross;
}

export interface AgeChartOptions {
  readonly points: readonly AgePoint[];
  readonly from: number;
  readonly to: number;
  readonly warningHours: number;
  readonly criticalHours: number;
  /** The chart's accessible name. */
  readonly title: string;
  /** Id for the <title>, unique on the page. */
  readonly titleId: string;
  readonly labels: { readonly warning: string; readonly critical: string; readonly hours: string };
  /** Text under an x tick, e.g. a date in the station's time zone. */
  readonly tickLabel: (at: number) => string;
  /** Where the x ticks go (default: every 2 days back from `to`). */
  readonly ticks?: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 220;
// Room on the right for half of the last date label, which is centred on its tick.
const PAD = { left: 44, right: 24, top: 12, bottom: 28 } as const;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const n = (v: number) => String(Math.round(v * 10) / 10);

export function ageChartSvg(o: AgeChartOptions): string {
  const span = Math.max(1, o.to - o.from);
  const top = Math.max(o.criticalHours * 1.2, ...o.points.map((p) => p.ageHours * 1.05));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: number) =>
    PAD.left + (plotW * (Math.min(Math.max(at, o.from), o.to) - o.from)) / span;
  const y = (hours: number) => PAD.top + plotH - (plotH * Math.max(0, hours)) / top;
  const ticks =
    o.ticks ??
    Array.from({ length: 8 }, (_, i) => o.to - i * 2 * 24 * HOUR).filter((t) => t >= o.from);
  const limitLine = (hours: number, label: string, cls: string, colour: string) =>
    `<g class="${cls}"><line x1="${n(PAD.left)}" x2="${n(WIDTH - PAD.right)}" y1="${n(y(hours))}" y2="${n(y(hours))}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<text x="${n(WIDTH - PAD.right - 4)}" y="${n(y(hours) - 4)}" text-anchor="end" font-size="12" fill="${colour}">${escapeXml(label)} ${n(hours)} ${escapeXml(o.labels.hours)}</text></g>`;
  const line =
    o.points.length > 0
      ? `<polyline class="age-line" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" points="${o.points
          .map((p) => `${n(x(p.at))},${n(y(p.ageHours))}`)
          .join(' ')}"/>`
      : '';
  const axis =
    `<line x1="${n(PAD.left)}" x2="${n(PAD.left)}" y1="${n(PAD.top)}" y2="${n(PAD.top + plotH)}" stroke="currentColor" stroke-width="1"/>` +
    `<line x1="${n(PAD.left)}" x2="${n(WIDTH - PAD.right)}" y1="${n(PAD.top + plotH)}" y2="${n(PAD.top + plotH)}" stroke="currentColor" stroke-width="1"/>` +
    `<text x="${n(PAD.left - 6)}" y="${n(PAD.top + plotH)}" text-anchor="end" font-size="12" fill="currentColor">0</text>` +
    `<text x="${n(PAD.left - 6)}" y="${n(PAD.top + 10)}" text-anchor="end" font-size="12" fill="currentColor">${n(top)}</text>` +
    ticks
      .map(
        (t) =>
          `<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${n(PAD.top + plotH)}" y2="${n(PAD.top + plotH + 4)}" stroke="currentColor" stroke-width="1"/>` +
          `<text x="${n(x(t))}" y="${n(HEIGHT - 8)}" text-anchor="middle" font-size="12" fill="currentColor">${escapeXml(o.tickLabel(t))}</text>`,
      )
      .join('');
  return (
    `<svg class="age-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${escapeXml(o.titleId)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" data-testid="age-chart">` +
    `<title id="${escapeXml(o.titleId)}">${escapeXml(o.title)}</title>` +
    axis +
    limitLine(o.warningHours, o.labels.warning, 'limit-warning', '#8a5a00') +
    limitLine(o.criticalHours, o.labels.critical, 'limit-critical', '#b00020') +
    line +
    `</svg>`
  );
}
