/** The age chart's saw, its summary and its markup, on known points. */
import { describe, expect, it } from 'vitest';
import { agePoints, ageChartSvg, summariseAges } from '../../src/views/age-chart.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const iso = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
const limits = { warningHours: 14, criticalHours: 26 };

describe('agePoints', () => {
  it('rises one hour per hour and drops at each import, carrying in the copy active at the start', () => {
    const imports = [
      // Active before the range: exported at -10 h, imported at -9 h.
      { importedAt: iso(-9), transactionTime: iso(-10) },
      { importedAt: iso(12), transactionTime: iso(11) },
      { importedAt: iso(40), transactionTime: iso(38) },
    ];
    expect(agePoints(imports, T0, T0 + 48 * HOUR)).toEqual([
      { at: T0, ageHours: 10 },
      { at: T0 + 12 * HOUR, ageHours: 22 },
      { at: T0 + 12 * HOUR, ageHours: 1 },
      { at: T0 + 40 * HOUR, ageHours: 29 },
      { at: T0 + 40 * HOUR, ageHours: 2 },
      { at: T0 + 48 * HOUR, ageHours: 10 },
    ]);
  });

  it('has no line before the first copy, and none at all without one', () => {
    expect(
      agePoints([{ importedAt: iso(5), transactionTime: iso(4) }], T0, T0 + 10 * HOUR),
    ).toEqual([
      { at: T0 + 5 * HOUR, ageHours: 1 },
      { at: T0 + 10 * HOUR, ageHours: 6 },
    ]);
    expect(agePoints([], T0, T0 + 10 * HOUR)).toEqual([]);
  });
});

describe('summariseAges', () => {
  it('counts imports and the hours spent past each limit', () => {
    const points = agePoints(
      [
        { importedAt: iso(-9), transactionTime: iso(-10) },
        { importedAt: iso(12), transactionTime: iso(11) },
        { importedAt: iso(40), transactionTime: iso(38) },
      ],
      T0,
      T0 + 48 * HOUR,
    );
    // 10 → 22 passes 14 at 4 h (8 h over); 1 → 29 passes 14 at 25 h (15 h over) and 26 at 37 h (3 h).
    expect(summariseAges(points, limits, T0)).toEqual({
      currentHours: 10,
      maxHours: 29,
      imports: 2,
      hoursOverWarning: 23,
      hoursOverCritical: 3,
    });
    expect(summariseAges([], limits, T0).currentHours).toBeNull();
    // A line that starts after the range begins starts with the station's first copy.
    const first = agePoints([{ importedAt: iso(5), transactionTime: iso(4) }], T0, T0 + 10 * HOUR);
    expect(summariseAges(first, limits, T0).imports).toBe(1);
  });
});

describe('ageChartSvg', () => {
  const svg = ageChartSvg({
    points: [
      { at: T0, ageHours: 0 },
      { at: T0 + 24 * HOUR, ageHours: 24 },
    ],
    from: T0,
    to: T0 + 24 * HOUR,
    ...limits,
    title: 'Ålder <i>i</i> timmar',
    titleId: 'chart',
    labels: { warning: 'varning', critical: 'kritisk', hours: 'tim' },
    tickLabel: () => '12-01',
    ticks: [T0],
  });

  it('is an accessible image with an escaped title and no style the CSP would block', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart"/);
    expect(svg).toContain('<title id="chart">Ålder &lt;i&gt;i&lt;/i&gt; timmar</title>');
    expect(svg).not.toMatch(/style=|<style|<script/);
  });

  it('draws the line from corner to corner and the limits at their heights', () => {
    // Plot area: x 44..616, y 12..192; top of the scale is 26 × 1.2 = 31.2 h.
    expect(svg).toContain('points="44,192 616,53.5"');
    const yOf = (h: number) => String(Math.round((12 + 180 - (180 * h) / 31.2) * 10) / 10);
    expect(svg).toContain(`y1="${yOf(14)}" y2="${yOf(14)}"`);
    expect(svg).toContain(`y1="${yOf(26)}" y2="${yOf(26)}"`);
    expect(svg).toContain('>varning 14 tim</text>');
    expect(svg).toContain('>kritisk 26 tim</text>');
  });
});
