import { describe, expect, it } from 'vitest';
import { ExactNumber, parseExact } from './exact-json.ts';

describe('parseExact', () => {
  it('keeps the digits of decimals as written', () => {
    const v = parseExact('{"value":0.010,"n":[1,-2.50,3e2]}') as Record<string, unknown>;
    expect(v.value).toBeInstanceOf(ExactNumber);
    expect(String(v.value)).toBe('0.010');
    expect((v.n as ExactNumber[]).map(String)).toEqual(['1', '-2.50', '3e2']);
  });

  it('parses strings with escapes, literals and nesting like JSON.parse', () => {
    const text = '{"a":"å\\"\\u00e4\\n","b":[true,false,null,{}],"c":[]}';
    expect(JSON.stringify(parseExact(text))).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('rejects malformed input and trailing garbage', () => {
    for (const bad of ['{', '{"a":}', '[1,]', '{"a":1} x', '"open', 'tru']) {
      expect(() => parseExact(bad), bad).toThrow(SyntaxError);
    }
  });

  it('refuses documents nested deeper than its limit instead of overflowing the stack', () => {
    expect(() => parseExact('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(
      /nested too deeply/,
    );
  });
});
