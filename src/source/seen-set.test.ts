import { describe, expect, it } from 'vitest';
import { SeenSet } from './seen-set.ts';

describe('SeenSet', () => {
  it('tells new, identical and conflicting copies apart across many growths', () => {
    const seen = new SeenSet();
    const n = 300_000;
    for (let i = 0; i < n; i++)
      expect(seen.check('Observation', `o-${i}`, `{"v":${i}}`)).toBe('new');
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(seen.check('Observation', `o-${i}`, `{"v":${i}}`)).toBe('same');
      expect(seen.check('Observation', `o-${i}`, `{"v":${i + 1}}`)).toBe('different');
    }
    // The same id under another type is another resource.
    expect(seen.check('Patient', 'o-1', '{}')).toBe('new');
    expect(seen.size).toBe(n + 1);
  });
});
