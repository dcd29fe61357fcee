/**
 * Property-based fuzzing (fast-check, fixed seeds) of the station's parsers and validators:
 * parseExact, LineSplitter, validateManifest, parseIdentity and Ingest on a real SQLite file.
 *
 * Every property has an explicit numRuns and seed, so a run is repeatable; about 20,000 cases in
 * all. A failure prints fast-check's seed, path and shrunk counterexample.
 *
 * Examples that once broke src/ are kept as regression tests, and
 * the random generators steer around exactly those inputs (noted where they do), so the rest of
 * the input space keeps being fuzzed.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ReservError } from '../../src/core/errors.ts';
import { ExactNumber, parseExact, type ExactJson } from '../../src/core/exact-json.ts';
import { InvalidUtf8, LineSplitter, LineTooLong } from '../../src/core/lines.ts';
import { parseIdentity } from '../../src/core/personnummer.ts';
import { FORMAT, FORMAT_VERSION, validateManifest } from '../../src/snapshot/format.ts';
import { createForBulkLoad, type Db } from '../../src/store/db.ts';
import { Ingest } from '../../src/store/ingest.ts';
import { tempDir } from '../helpers/tmp.ts';

const SEED = 20261127;
const RUNS = 2500;
const params = (numRuns = RUNS, seed = SEED) => ({ numRuns, seed, endOnFailure: false });

// ---------------------------------------------------------------------------------------------
// JSON texts with chosen number literals and white space

const ws = fc.stringMatching(/^[ \t\n\r]{0,2}$/);
const digits = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** A JSON number literal as someone might write it: 0.010, -1E+2, 12345678901234567890. */
const numberLiteral = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fc.option(digits(1, 20)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))),
  )
  .map(
    ([neg, int, frac, exp]) =>
      `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`,
  );
const anyString = fc.string({ unit: 'binary', maxLength: 12 });
/** A JSON string literal: plain, or with every character written as a \u escape. */
const stringLiteral = anyString.chain((s) =>
  fc.constantFrom(
    JSON.stringify(s),
    `"${[...s].map((c) => [...c].map((_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')).join('')}"`,
    JSON.stringify(s).replaceAll('/', '\\/'),
  ),
);
// Keys are unique within an object (duplicate keys are the corpus's B6); "__proto__" is drawn
// now and then on purpose.
const key = fc.oneof(
  { weight: 20, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constant('__proto__') },
);

interface Doc {
  readonly text: string;
  readonly numbers: readonly string[];
}
const join = (parts: readonly Doc[], sep: string): Doc => ({
  text: parts.map((p) => p.text).join(sep),
  numbers: parts.flatMap((p) => p.numbers),
});

const { doc } = fc.letrec<{ doc: Doc; leaf: Doc; array: Doc; object: Doc }>((tie) => ({
  doc: fc.oneof({ depthSize: 'small', maxDepth: 6 }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(
    numberLiteral.map((n) => ({ text: n, numbers: [n] })),
    stringLiteral.map((s) => ({ text: s, numbers: [] })),
    fc.constantFrom('true', 'false', 'null').map((t) => ({ text: t, numbers: [] })),
  ),
  array: fc
    .tuple(ws, fc.array(fc.tuple(ws, tie('doc'), ws), { maxLength: 5 }))
    .map(([w, items]) => {
      const inner = join(
        items.map(([a, d, b]) => ({ text: `${a}${d.text}${b}`, numbers: d.numbers })),
        ',',
      );
      return { text: `[${w}${inner.text}]`, numbers: inner.numbers };
    }),
  object: fc
    .tuple(
      ws,
      fc.uniqueArray(fc.tuple(key, ws, ws, tie('doc'), ws), {
        maxLength: 5,
        selector: ([k]) => k,
      }),
    )
    .map(([w, entries]) => {
      const inner = join(
        entries.map(([k, a, b, d, c]) => ({
          text: `${a}${JSON.stringify(k)}${b}:${d.text}${c}`,
          numbers: d.numbers,
        })),
        ',',
      );
      return { text: `{${w}${inner.text}}`, numbers: inner.numbers };
    }),
}));
const document = fc
  .tuple(ws, doc, ws)
  .map(([a, d, b]) => ({ text: `${a}${d.text}${b}`, numbers: d.numbers }));

/** Structural equality of a parseExact result with a JSON.parse result. */
function sameStructure(exact: ExactJson, plain: unknown): boolean {
  if (exact instanceof ExactNumber)
    return typeof plain === 'number' && Object.is(Number(exact.text), plain);
  if (exact === null || typeof exact !== 'object') return Object.is(exact, plain);
  if (Array.isArray(exact))
    return (
      Array.isArray(plain) &&
      exact.length === plain.length &&
      exact.every((v, i) => sameStructure(v, plain[i]))
    );
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return false;
  if (Object.getPrototypeOf(exact) !== Object.prototype) return false;
  const a = Object.keys(exact);
  const b = Object.keys(plain);
  return (
    a.length === b.length &&
    a.every(
      (k) =>
        Object.hasOwn(plain, k) && sameStructure(exact[k]!, (plain as Record<string, unknown>)[k]),
    )
  );
}

function numberTexts(v: ExactJson, out: string[] = []): string[] {
  if (v instanceof ExactNumber) out.push(v.text);
  else if (Array.isArray(v)) v.forEach((x) => numberTexts(x, out));
  else if (v !== null && typeof v === 'object')
    Object.values(v).forEach((x) => numberTexts(x, out));
  return out;
}

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };
function attempt<T>(f: () => T): Attempt<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** parseExact either agrees with JSON.parse or throws SyntaxError (only where JSON.parse fails or
 * the nesting passes its documented depth limit). */
function checkAgainstJsonParse(text: string): void {
  const plain = attempt(() => JSON.parse(text) as unknown);
  const exact = attempt(() => parseExact(text));
  if (!exact.ok) {
    expect(exact.error, 'parseExact throws only SyntaxError').toBeInstanceOf(SyntaxError);
    if (plain.ok) expect(depthOf(plain.value), 'rejected valid JSON').toBeGreaterThanOrEqual(512);
    return;
  }
  expect(plain.ok, 'parseExact accepted what JSON.parse rejects').toBe(true);
  expect(sameStructure(exact.value, (plain as { value: unknown }).value)).toBe(true);
}

describe('parseExact', () => {
  it('agrees with JSON.parse on generated JSON and keeps every number literal as written', () => {
    fc.assert(
      fc.property(document, ({ text, numbers }) => {
        const exact = parseExact(text);
        expect(sameStructure(exact, JSON.parse(text))).toBe(true);
        expect(numberTexts(exact).sort()).toEqual([...numbers].sort());
      }),
      params(),
    );
  });

  it('agrees with JSON.parse or throws SyntaxError on arbitrary and damaged text', () => {
    const jsonChars = fc.constantFrom(
      ...'{}[]:,"\\ \t\n\r0123456789.-+eEtrufalsn/u'.split(''),
      '\u0000',
      '\u2028',
      'ä',
    );
    const damaged = fc
      .tuple(document, fc.nat(), fc.nat(4), fc.string({ unit: jsonChars, maxLength: 3 }))
      .map(([d, at, del, ins]) => {
        const i = at % (d.text.length + 1);
        return d.text.slice(0, i) + ins + d.text.slice(i + del);
      });
    const deep = fc
      .tuple(fc.integer({ min: 500, max: 3000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
      .map(([n, [open, close]]) => `${open.repeat(n)}${open === '[' ? '' : '0'}${close.repeat(n)}`);
    fc.assert(
      fc.property(
        fc.oneof(
          { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
          { arbitrary: fc.string({ unit: jsonChars, maxLength: 40 }), weight: 3 },
          { arbitrary: damaged, weight: 5 },
          { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
          { arbitrary: deep, weight: 1 },
        ),
        checkAgainstJsonParse,
      ),
      params(),
    );
  });

  it('throws SyntaxError (not a stack overflow) at 10^5 levels of nesting', () => {
    expect(() => parseExact('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(SyntaxError);
    expect(() => parseExact('{"a":'.repeat(100_000))).toThrow(SyntaxError);
  });

  // JSON.parse makes "__proto__" an own property; so must parseExact (it must never set a prototype).
  it.each([
    '{"__proto__":{"status":"final"},"id":"x"}',
    '{"__proto__":"kept as text?"}',
    '{"a":[{"__proto__":[1,2]}]}',
  ])('the key "__proto__" is kept as an own property: %s', (text) => {
    checkAgainstJsonParse(text);
  });
});

// ---------------------------------------------------------------------------------------------
// LineSplitter

function splitAll(
  chunks: readonly Buffer[],
  max: number,
): { lines: string[]; numbers: number[]; error?: unknown } {
  const lines: string[] = [];
  const numbers: number[] = [];
  const splitter = new LineSplitter(max, (line, n) => {
    lines.push(line);
    numbers.push(n);
  });
  try {
    for (const c of chunks) splitter.push(c);
    splitter.end();
    return { lines, numbers };
  } catch (error) {
    return { lines, numbers, error };
  }
}

/** Cut a buffer at arbitrary points (empty chunks included). */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...cuts.map((c) => c % (bytes.length + 1)), 0, bytes.length].sort(
    (a, b) => a - b,
  );
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

/** What a reader expects: split on LF, no empty line after a final LF, one trailing CR dropped. */
function expectedLines(text: string): { raw: string[]; lines: string[] } {
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  return { raw, lines: raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)) };
}

const lineChar = fc.oneof(
  { arbitrary: fc.constantFrom('\n', '\r', '\r\n'), weight: 3 },
  { arbitrary: fc.constantFrom('a', 'å', '€', '😀', '\u0000', '\u2028'), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
);
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('LineSplitter', () => {
  it('gives the lines of a split on LF, whatever the chunking of the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: lineChar, maxLength: 60 }), cuts, (text, at) => {
        const bytes = Buffer.from(text, 'utf8');
        const got = splitAll(chunked(bytes, at), 1 << 20);
        expect(got.error).toBeUndefined();
        const want = expectedLines(bytes.toString('utf8')).lines;
        expect(got.lines).toEqual(want);
        expect(got.numbers).toEqual(want.map((_, i) => i + 1));
      }),
      params(),
    );
  });

  it('decodes arbitrary (also invalid) UTF-8 the same in chunks as in one piece, refusing invalid lines', () => {
    const byte = fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0xc3, 0xa5, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 40 }), cuts, (list, at) => {
        const bytes = Buffer.from(list);
        const got = splitAll(chunked(bytes, at), 1 << 20);
        const whole = splitAll([bytes], 1 << 20);
        // Wherever the chunks were cut: the same lines, and the same refusal at the same line.
        expect(got.lines).toEqual(whole.lines);
        expect(String(got.error)).toBe(String(whole.error));
        if (got.error === undefined)
          expect(got.lines).toEqual(expectedLines(bytes.toString('utf8')).lines);
        else {
          expect(got.error).toBeInstanceOf(InvalidUtf8);
          const bad = (got.error as InvalidUtf8).lineNumber;
          const rawLines = bytes.toString('latin1').split('\n');
          const lineBytes = Buffer.from(rawLines[bad - 1]!, 'latin1');
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(lineBytes)).toThrow();
        }
      }),
      params(1500),
    );
  });

  it('enforces the line limit: lines within it pass, a line over it raises LineTooLong', () => {
    const small = fc.string({ unit: fc.constantFrom('a', 'ä', '\r', '\n', '😀'), maxLength: 30 });
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 6 }), cuts, (text, max, at) => {
        const bytes = Buffer.from(text, 'utf8');
        const got = splitAll(chunked(bytes, at), max);
        const want = expectedLines(bytes.toString('utf8'));
        // Lines (1-based) whose text with / without its CR is over the limit.
        const firstRawOver = want.raw.findIndex((l) => l.length > max) + 1;
        const firstOver = want.lines.findIndex((l) => l.length > max) + 1;
        if (got.error === undefined) {
          expect(firstOver, 'a line over the limit passed').toBe(0);
          expect(got.lines).toEqual(want.lines);
          return;
        }
        expect(got.error).toBeInstanceOf(LineTooLong);
        const n = (got.error as LineTooLong).lineNumber;
        expect(firstRawOver).toBeGreaterThan(0);
        expect(n).toBeGreaterThanOrEqual(firstRawOver);
        if (firstOver > 0) expect(n).toBeLessThanOrEqual(firstOver);
        expect(got.lines).toEqual(want.lines.slice(0, n - 1));
      }),
      params(2000),
    );
  });

  // The limit applies to the line without its CR LF, wherever the chunks were cut.
  it('a line of exactly the limit, CRLF-ended, does not depend on the chunking', () => {
    expect(splitAll([Buffer.from('abcd\r\n')], 4)).toEqual({ lines: ['abcd'], numbers: [1] });
    expect(splitAll([Buffer.from('abcd\r'), Buffer.from('\n')], 4)).toEqual({
      lines: ['abcd'],
      numbers: [1],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// validateManifest

function validManifest(): Record<string, unknown> {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    snapshotId: '0b5c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
    sequence: 7,
    createdAt: '2026-11-27T06:00:00.000Z',
    transactionTime: '2026-11-27T05:00:00.000Z',
    environment: 'prod',
    targets: ['boende-norr'],
    units: [],
    signer: '0123456789abcdef',
    encryption: {
      alg: 'X25519-HKDF-SHA256-A256GCM',
      compression: 'gzip',
      recipients: [
        {
          keyId: 'fedcba9876543210',
          ephemeralPublicKey: 'A'.repeat(43) + '=',
          nonce: 'AAAAAAAAAAAAAAAA',
          wrappedKey: 'B'.repeat(64),
        },
      ],
    },
    files: [
      {
        name: 'Observation.ndjson.gz',
        type: 'Observation',
        offset: 0,
        size: 120,
        sha256: 'a'.repeat(64),
        plainSize: 900,
        count: 4,
        nonce: 'CCCCCCCCCCCCCCCC',
      },
      {
        name: 'Patient.ndjson.gz',
        type: 'Patient',
        offset: 120,
        size: 16,
        sha256: 'b'.repeat(64),
        plainSize: 0,
        count: 0,
        nonce: 'DDDDDDDDDDDDDDDD',
      },
    ],
    personCountsByUnit: { 'unit-1': 3 },
    totals: { resources: 4, payloadBytes: 136, plainBytes: 900 },
  };
}

/** Paths to every value inside a JSON value (objects and arrays included). */
function pathsOf(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v))
      out.push(...pathsOf(x, [...prefix, Array.isArray(v) ? Number(k) : k]));
  return out;
}

/** The promises an accepted manifest makes to the importer, checked independently of format.ts. */
function expectManifestInvariants(m: Record<string, unknown>): void {
  const safe = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  expect(m.format).toBe(FORMAT);
  expect(safe(m.sequence) && (m.sequence as number) >= 1).toBe(true);
  expect(['prod', 'test']).toContain(m.environment);
  expect(m.snapshotId).toMatch(/^[A-Za-z0-9-]{8,64}$/);
  const files = m.files as Record<string, unknown>[];
  const totals = m.totals as Record<string, number>;
  let offset = 0;
  const types = new Set<unknown>();
  for (const f of files) {
    const suffix =
      (m.encryption as { compression: string }).compression === 'gzip' ? 'gz' : 'blocks';
    expect(f.name).toMatch(/^[A-Za-z][A-Za-z0-9]{0,63}\.ndjson\.(gz|blocks)$/);
    expect(f.name).toBe(`${String(f.type)}.ndjson.${suffix}`);
    expect(types.has(f.type)).toBe(false);
    types.add(f.type);
    expect(f.offset).toBe(offset);
    expect(safe(f.size) && (f.size as number) >= 16).toBe(true);
    expect(safe(f.plainSize) && safe(f.count)).toBe(true);
    expect(typeof f.nonce).toBe('string');
    offset += f.size as number;
  }
  expect(totals.payloadBytes).toBe(offset);
  expect(totals.resources).toBe(files.reduce((n, f) => n + (f.count as number), 0));
  expect(totals.plainBytes).toBe(files.reduce((n, f) => n + (f.plainSize as number), 0));
}

function expectMalformedOr(value: unknown): boolean {
  const r = attempt(() => validateManifest(value));
  if (r.ok) return true;
  expect(r.error).toBeInstanceOf(ReservError);
  expect((r.error as ReservError).code).toBe('SNAPSHOT_MALFORMED');
  expect((r.error as ReservError).details.length).toBeGreaterThan(0);
  return false;
}

describe('validateManifest', () => {
  it('accepts the reference manifest', () => {
    expect(validateManifest(validManifest())).toBeDefined();
  });

  it('throws nothing but SNAPSHOT_MALFORMED on arbitrary JSON and manifest-shaped input', () => {
    const valid = validManifest();
    const field = (k: string) =>
      fc.oneof(
        { arbitrary: fc.constant(valid[k]), weight: 3 },
        { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
      );
    const shaped = fc.record(Object.fromEntries(Object.keys(valid).map((k) => [k, field(k)])), {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => {
        // Through JSON, as the importer sees it.
        const parsed = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
        if (expectMalformedOr(parsed)) expectManifestInvariants(parsed as Record<string, unknown>);
      }),
      params(1500),
    );
  });

  it('accepts or rejects with SNAPSHOT_MALFORMED a valid manifest with one field changed', () => {
    const base = validManifest();
    const paths = pathsOf(base).filter((p) => p.length > 0);
    const near = (v: unknown) =>
      typeof v === 'number'
        ? fc.constantFrom(
            v + 1,
            v - 1,
            0,
            -1,
            1.5,
            2 ** 53,
            Number.MAX_SAFE_INTEGER,
            String(v),
            null,
          )
        : typeof v === 'string'
          ? fc.constantFrom('', `${v}x`, v.toUpperCase(), `../${v}`, 1, null, [v])
          : fc.constantFrom(null, {}, [], 'x', 0);
    const mutation = fc.tuple(fc.constantFrom(...paths), fc.nat(2)).chain(([p, how]) => {
      const old = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], base);
      const value =
        how === 0 ? fc.constant(undefined) : how === 1 ? near(old) : fc.jsonValue({ maxDepth: 2 });
      return value.map((v) => ({ p, v }));
    });
    fc.assert(
      fc.property(mutation, ({ p, v }) => {
        const m = validManifest();
        const parent = p
          .slice(0, -1)
          .reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], m) as Record<
          string | number,
          unknown
        >;
        const last = p[p.length - 1]!;
        if (v === undefined) {
          if (Array.isArray(parent)) parent.splice(last as number, 1);
          else delete parent[last];
        } else parent[last] = v;
        const parsed = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
        if (expectMalformedOr(parsed)) expectManifestInvariants(parsed);
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// parseIdentity

describe('parseIdentity', () => {
  const idChar = fc.oneof(
    { arbitrary: fc.constantFrom(...'0123456789'.split('')), weight: 8 },
    {
      arbitrary: fc.constantFrom('-', '+', ' ', '\u00a0', '\t', 'K', 'x', 'å', '٣', '\u0000'),
      weight: 2,
    },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
  );
  const kinds = ['personnummer', 'samordningsnummer', 'reservnummer', 'unknown'];

  it('never throws, and a numeric match normalises to twelve digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: idChar, maxLength: 16 }),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (input, today) => {
          const p = parseIdentity(input, today);
          expect(kinds).toContain(p.kind);
          expect(typeof p.checksumValid).toBe('boolean');
          expect(typeof p.normalized).toBe('string');
          if (p.kind === 'personnummer' || p.kind === 'samordningsnummer')
            expect(p.normalized).toMatch(/^\d{12}$/);
          if (p.checksumValid) expect(['personnummer', 'samordningsnummer']).toContain(p.kind);
        },
      ),
      params(),
    );
  });

  it('never throws on any string and any date, also invalid ones', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.date(), (input, today) => {
        const p = parseIdentity(input, today);
        expect(kinds).toContain(p.kind);
      }),
      params(1000),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Ingest.add on a real SQLite database

const TYPES = ['Patient', 'Organization', 'Observation', 'Encounter', 'Location', 'Frobnicate'];
const fhirKey = fc.constantFrom(
  'reference',
  'system',
  'value',
  'use',
  'text',
  'given',
  'family',
  'code',
  'url',
  'display',
  'valueReference',
  'security',
  'actor',
  'coding',
  'start',
  'status',
  'id',
  'resourceType',
);
const { fhirValue } = fc.letrec<{ fhirValue: unknown; element: unknown }>((tie) => ({
  fhirValue: fc.oneof({ depthSize: 'small', maxDepth: 4 }, tie('element'), fc.constant(null)),
  element: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        'Patient/p1',
        'Organization/o1',
        'Location/l1',
        'official',
        'phone',
        'R',
        'x/residence-room',
        '19121212-1212',
        '121212-1213',
        'http://electronichealth.se/identifier/personnummer',
        'urn:oid:1.2.752.29.4.19',
      ),
      fc.double(),
      fc.integer(),
      fc.boolean(),
    ),
    fc.array(tie('element'), { maxLength: 3 }),
    fc.dictionary(fhirKey, tie('fhirValue'), { maxKeys: 4 }),
  ),
}));
const resourceField = fc.constantFrom(
  'name',
  'identifier',
  'extension',
  'meta',
  'managingOrganization',
  'subject',
  'patient',
  'participant',
  'telecom',
  'type',
  'partOf',
  'period',
  'status',
  'birthDate',
  'gender',
  'effectiveDateTime',
  'valueQuantity',
  'contained',
);
const resource = fc
  .tuple(
    fc.constantFrom(...TYPES),
    fc.oneof(
      { arbitrary: fc.constantFrom('p1', 'o1', 'l1', 'x', 'a.b-c'), weight: 3 },
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/), weight: 3 },
      { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
    ),
    fc.dictionary(resourceField, fhirValue, { maxKeys: 6 }),
    fc.nat(9),
  )
  .map(([type, id, fields, wrongType]) => ({
    fileType: type,
    json: { resourceType: wrongType === 0 ? 'Patient' : type, id, ...fields },
  }));
const ingestLine = fc.oneof(
  {
    arbitrary: resource.map((r) => ({ type: r.fileType, line: JSON.stringify(r.json) })),
    weight: 6,
  },
  {
    arbitrary: fc
      .tuple(
        resource,
        fc.nat(),
        fc.string({ unit: fc.constantFrom('{', '}', '"', ',', ':', '[', ' ', '\\'), maxLength: 2 }),
      )
      .map(([r, at, ins]) => {
        const text = JSON.stringify(r.json);
        const i = at % (text.length + 1);
        return { type: r.fileType, line: text.slice(0, i) + ins + text.slice(i + 1) };
      }),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...TYPES), fc.string({ unit: 'binary', maxLength: 30 }))
      .map(([type, line]) => ({ type, line })),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...TYPES), fc.jsonValue({ maxDepth: 2 }))
      .map(([type, v]) => ({ type, line: JSON.stringify(v) })),
    weight: 1,
  },
);

describe('Ingest.add', () => {
  const dir = tempDir('fuzz-ingest');
  const open: Db[] = [];
  let nullCase = 0;
  afterAll(() => open.forEach((db) => db.close()));
  const fresh = (name: string) => {
    const db = createForBulkLoad(path.join(dir, `${name}.sqlite`));
    open.push(db);
    return { db, ingest: new Ingest(db, new Date('2026-11-27T08:00:00Z')) };
  };

  /** add + flush one line: accepted and stored exactly, or refused with SNAPSHOT_CONTENT_INVALID. */
  function addOne(db: Db, ingest: Ingest, type: string, line: string): void {
    const r = attempt(() => {
      ingest.add(type, line, 'fuzz line 1');
      ingest.flush();
    });
    if (!r.ok) {
      expect(r.error, `non-ReservError for ${JSON.stringify(line).slice(0, 200)}`).toBeInstanceOf(
        ReservError,
      );
      expect((r.error as ReservError).code).toBe('SNAPSHOT_CONTENT_INVALID');
      return;
    }
    if (line.trim() === '') return;
    const id = (JSON.parse(line) as { id: string }).id;
    const raw = db
      .prepare('SELECT raw FROM resource WHERE type = ? AND id = ?')
      .pluck()
      .get(type, id);
    expect(raw).toBe(line);
  }

  it('accepts a line (stored exactly) or refuses it with SNAPSHOT_CONTENT_INVALID, never anything else', () => {
    const { db, ingest } = fresh('property');
    fc.assert(
      fc.property(ingestLine, ({ type, line }) => {
        // Lines reach Ingest through a UTF-8 decoder: never with lone surrogates.
        addOne(db, ingest, type, Buffer.from(line, 'utf8').toString('utf8'));
      }),
      params(),
    );
    const summary = ingest.finish({ snapshotId: 'fuzz' });
    expect(summary.stored).toBe(db.prepare('SELECT count(*) FROM resource').pluck().get());
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  // Null array elements are skipped by the indexer, never read.
  it.each([
    ['Patient', '{"resourceType":"Patient","id":"n1","name":[null]}'],
    ['Patient', '{"resourceType":"Patient","id":"n2","identifier":[null]}'],
    ['Patient', '{"resourceType":"Patient","id":"n3","extension":[null]}'],
    ['Patient', '{"resourceType":"Patient","id":"n4","meta":{"security":[null]}}'],
    ['Organization', '{"resourceType":"Organization","id":"n5","identifier":[null]}'],
    ['Organization', '{"resourceType":"Organization","id":"n6","telecom":[null]}'],
    ['Encounter', '{"resourceType":"Encounter","id":"n7","participant":[null]}'],
  ])('a null array element does not crash the indexer (%s %s)', (type, line) => {
    const { db, ingest } = fresh(`null-${++nullCase}`);
    addOne(db, ingest, type, line);
  });
});
