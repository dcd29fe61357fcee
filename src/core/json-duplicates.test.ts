import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey, noRepeatedMembers } from './json-duplicates.ts';

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

/** Members JSON.parse kept, over the whole tree (what prepare-row counts while walking). */
function members(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + members(v), 0);
  return Object.entries(value).reduce((n, [, v]) => n + 1 + members(v), 0);
}

/** JSON text of `value` with random white space around every colon and comma. */
const spaced = (value: unknown, spaces: readonly string[]) => {
  let i = 0;
  const pad = () => spaces[i++ % spaces.length]!;
  return JSON.stringify(value).replace(/("(?:[^"\\]|\\.)*")|([:,])/g, (m, str: string) =>
    str ? str : `${pad()}${m}${pad()}`,
  );
};

describe('noRepeatedMembers', () => {
  it('proves compact JSON free of repeats, and never proves a text that has one', () => {
    expect(noRepeatedMembers('{"a":1,"b":{"c":2}}', 3)).toBe(true);
    // A repeat collapses in JSON.parse: two names written, one kept.
    expect(noRepeatedMembers('{"a":1,"a":2}', 1)).toBe(false);
    // White space before a colon: the count proves nothing.
    expect(noRepeatedMembers('{"a" :1,"a":2}', 1)).toBe(false);
    // An escaped quote before a colon inside a string only makes the proof fail safe.
    expect(noRepeatedMembers('{"t":"x\\":y"}', 1)).toBe(false);
    // Colons in values (times) do not count.
    expect(noRepeatedMembers('{"t":"10:00","u":"a:b"}', 2)).toBe(true);
  });

  it('never claims "no repeat" where the full scan finds one, on random JSON and spacing', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.string(),
        fc.array(fc.constantFrom('', '', '', ' ', '\n', '\t'), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (value, name, spaces, repeat) => {
          const body = spaced({ v: value }, spaces);
          const text = repeat
            ? `{${JSON.stringify(name)}:1,${body.slice(1, -1)},${JSON.stringify(name)} : 2}`
            : body;
          const proved = noRepeatedMembers(text, members(JSON.parse(text)));
          if (proved) expect(firstDuplicateKey(text)).toBeUndefined();
          // Compact text whose only colons separate names from values is always proved.
          const colons = text.split(':').length - 1;
          if (!repeat && spaces.every((sp) => sp === '') && colons === members(JSON.parse(text)))
            expect(proved).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
