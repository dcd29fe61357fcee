import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from './json-duplicates.ts';

describe('firstDuplicateKey', () => {
  it('finds a repeated member name at any depth, and nothing in ordinary JSON', () => {
    expect(firstDuplicateKey('{"a":1,"b":2}')).toBeUndefined();
    expect(firstDuplicateKey('{"dose":1,"dose":10}')).toBe('dose');
    expect(firstDuplicateKey('{"a":[{"x":1},{"x":2}],"b":{"c":{"d":1,"e":2,"d":3}}}')).toBe('d');
    // The same name in sibling or nested objects is no repeat; values are never names.
    expect(firstDuplicateKey('{"a":{"a":{"a":"a"}},"b":["a","a"],"c":{}}')).toBeUndefined();
    expect(firstDuplicateKey('{"e":{},"f":"x","e":1}')).toBe('e');
    // Escapes in names and values: "\u0064ose" is "dose"; quotes inside strings do not end them.
    expect(firstDuplicateKey('{"dose":1,"\\u0064ose":2}')).toBe('dose');
    expect(firstDuplicateKey('{"t":"say \\"a\\":1, \\\\","a":1}')).toBeUndefined();
    expect(firstDuplicateKey('{"t\\\\":1,"t\\\\":2}')).toBe('t\\');
  });

  it('agrees with a reference on random JSON, with and without an injected repeat', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, name) => {
        const text = JSON.stringify(value);
        // JSON.stringify never repeats a name.
        expect(firstDuplicateKey(text)).toBeUndefined();
        const body = JSON.stringify({ v: value });
        const repeated = `{${JSON.stringify(name)}:1,${body.slice(1, -1)},${JSON.stringify(name)}:2}`;
        expect(firstDuplicateKey(repeated)).toBe(name === 'v' ? 'v' : name);
      }),
      { numRuns: 2000 },
    );
  });
});
