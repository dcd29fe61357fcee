import { describe, expect, it } from 'vitest';
import { createThrottle, delayAfter, FORGET_AFTER_MS, MAX_DELAY_MS } from './throttle.ts';

describe('sign-in throttle', () => {
  it('lets four failures pass, then waits 5 s doubling up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(delayAfter)).toEqual([
      0, 0, 0, 0, 5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(Math.max(...Array.from({ length: 1000 }, (_, i) => delayAfter(i)))).toBe(MAX_DELAY_MS);
  });

  it('counts per name regardless of case, forgets after quiet time and on success', () => {
    const th = createThrottle();
    for (let i = 0; i < 5; i++) th.failed('Stina', 1000);
    expect(th.waitMs('stina', 1000)).toBe(5_000);
    expect(th.waitMs('STINA ', 3000)).toBe(3_000);
    expect(th.waitMs('olle', 1000)).toBe(0);
    expect(th.waitMs('stina', 1000 + FORGET_AFTER_MS)).toBe(0);
    for (let i = 0; i < 5; i++) th.failed('stina', 5000);
    th.succeeded('stina');
    expect(th.waitMs('stina', 5000)).toBe(0);
  });
});
