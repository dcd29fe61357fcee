/**
 * How old the station's copy is, and whether that is still acceptable. A frozen station keeps
 * serving (an outage or an attacker can always stop updates) but says so on every page:
 * warning past `warningHours`, critical past `criticalHours` (14 h and 26 h for exports twice a day).
 */

export type FreshnessState = 'ok' | 'warning' | 'critical';

export interface Freshness {
  readonly state: FreshnessState;
  readonly ageMs: number;
}

export function freshness(
  transactionTime: string,
  now: Date,
  limits: { warningHours: number; criticalHours: number },
): Freshness {
  const at = Date.parse(transactionTime);
  if (Number.isNaN(at)) return { state: 'critical', ageMs: Number.POSITIVE_INFINITY };
  const ageMs = now.getTime() - at;
  const hours = ageMs / 3_600_000;
  const state: FreshnessState =
    hours > limits.criticalHours ? 'critical' : hours > limits.warningHours ? 'warning' : 'ok';
  return { state, ageMs };
}
