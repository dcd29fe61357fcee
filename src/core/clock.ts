/**
 * Time is a dependency: the core never calls Date.now() directly, so tests and the generator can
 * fix the clock and get repeatable results.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const fixed = new Date(at);
  return { now: () => new Date(fixed) };
}
