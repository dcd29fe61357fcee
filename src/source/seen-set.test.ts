import { describe, expect, it } from 'vitest';
import { SeenSet } from './seen-set.ts';

describe('SeenSet', () => {
  it('tells new, identical and conflicting copies apart across many growths', () => {
    const seen = new SeenSet();
    const n = 300_000;
    // Plain loops with one assertion at the end: 300,000 expect() calls take seconds.
    const wrong: string[] = [];
    for (let i = 0; i < n; i++)
      if (seen.check('Observation', `o-${i}`, `{"v":${i}}`) !== 'new') wrong.push(`new ${i}`);
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i += 97) {
      if (seen.check('Observation', `o-${i}`, `{"v":${i}}`) !== 'same') wrong.push(`same ${i}`);
      if (seen.check('Observation', `o-${i}`, `{"v":${i + 1}}`) !== 'different')
        wrong.push(`different ${i}`);
    }
    expect(wrong).toEqual([]);
    // The same id under another type is another resource.
    expect(seen.check('Patient', 'o-1', '{}')).toBe('new');
    expect(seen.size).toBe(n + 1);
  });
});
