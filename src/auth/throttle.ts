/**
 * Sign-in throttling (matrix row U1). Failures are counted per name as typed, whether or not an
 * account has that name (so throttling itself does not reveal which names exist). The first four
 * failures cost nothing; from the fifth on, the next try must wait 5 s, doubling up to 60 s, and
 * failures are forgotten after 15 quiet minutes. There
 * is deliberately no hard lockout: a night nurse who mistypes ten times must still get in within
 * a minute, and the on-call manager can always issue an emergency code meanwhile.
 *
 * State is kept in memory: a restart forgets it, which only gives an attacker at the keyboard of
 * a locked-room PC a few more tries per restart.
 */
export const FREE_FAILURES = 4;
const BASE_DELAY_MS = 5_000;
export const MAX_DELAY_MS = 60_000;
const MAX_KEYS = 10_000;
/** Failures older than this are forgotten: yesterday's typos do not slow down tonight's shift. */
export const FORGET_AFTER_MS = 15 * 60_000;

interface Entry {
  failures: number;
  lastFailure: number;
}

export interface Throttle {
  /** Milliseconds to wait before `key` may try again (0: may try now). */
  waitMs(key: string, now: number): number;
  failed(key: string, now: number): void;
  succeeded(key: string): void;
}

export function delayAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_MS);
}

export function createThrottle(): Throttle {
  const entries = new Map<string, Entry>();
  const norm = (key: string) => key.normalize('NFC').trim().toLowerCase();
  return {
    waitMs(key, now) {
      const e = entries.get(norm(key));
      if (!e) return 0;
      if (now - e.lastFailure >= FORGET_AFTER_MS) {
        entries.delete(norm(key));
        return 0;
      }
      return Math.max(0, e.lastFailure + delayAfter(e.failures) - now);
    },
    failed(key, now) {
      const k = norm(key);
      const e = entries.get(k);
      if (e && now - e.lastFailure < FORGET_AFTER_MS) {
        e.failures++;
        e.lastFailure = now;
        entries.delete(k);
        entries.set(k, e);
      } else {
        entries.delete(k);
        // Bounded memory: forget the oldest names first.
        if (entries.size >= MAX_KEYS) entries.delete(entries.keys().next().value!);
        entries.set(k, { failures: 1, lastFailure: now });
      }
    },
    succeeded(key) {
      entries.delete(norm(key));
    },
  };
}
