/**
 * A JSON parser that keeps numbers exactly as written.
 *
 * FHIR decimals carry precision in their digits: 0.010 is not 0.01. JSON.parse turns both into
 * the same double, and Node 20 cannot show a reviver the source text. The station therefore
 * parses a resource for display with this parser, which returns every number as an ExactNumber
 * holding its original text. Only small documents (one resident's resources) go through it.
 */

export class ExactNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): number {
    return Number(this.text);
  }
}

export type ExactJson =
  string | boolean | null | ExactNumber | ExactJson[] | { [key: string]: ExactJson };

const MAX_DEPTH = 512;

export function parseExact(text: string): ExactJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid JSON at position ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse handle escapes for this string alone.
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '"') break;
      else i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): ExactJson => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') {
      i++;
      const obj: Record<string, ExactJson> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        // defineProperty, not assignment: a key named "__proto__" must stay an ordinary key.
        Object.defineProperty(obj, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const list: ExactJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return list;
      }
      for (;;) {
        list.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return list;
        } else fail('expected , or ]');
      }
    }
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
    m.lastIndex = i;
    const num = m.exec(text);
    if (num === null) return fail('unexpected character');
    i += num[0].length;
    return new ExactNumber(num[0]);
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}
