/**
 * Rows B1–B18 of the reliability matrix: the bad-input corpus.
 *
 * Every fixture is a hostile snapshot that a trusted exporter signed (the real builder with
 * `checkSource: false`, or `assembleSnapshot` in ./container.ts where the damage has to sit below
 * the NDJSON layer, e.g. in the gzip stream), so only the station's own import checks stand
 * between it and the screen. Each row states its expected outcome:
 *
 * - reject(code): the whole snapshot is refused with that stable code; the station keeps its
 *   previously active snapshot, leaves no `*.staging` file and records `lastFailure.code`.
 *   `reject(code, { layer: 'exporter' })` rows are refused by the exporter itself (the source
 *   folder manifest, src/source/bulk-folder.ts), so no snapshot exists and the station is
 *   untouched (its last failure stays what it was).
 * - accept(findings, check): the snapshot becomes active, the listed `finding` rows (exactly
 *   those) are in its database, and `check` reads the stored raw text and index columns.
 *
 * Rows marked `knownBug` state the behaviour the station should have and run as `it.fails`
 * until src/ is fixed (see the bug notes next to them). Each class gets its own station with a
 * baseline snapshot active; its fixtures follow with rising sequence numbers. Class X1 at the
 * end goes beyond the matrix (valid JSON that is not valid FHIR).
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, deflateRawSync, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExact, ExactNumber, type ExactJson } from '../../src/core/exact-json.ts';
import { ReservError, type ErrorCode } from '../../src/core/errors.ts';
import { luhnCheckDigit } from '../../src/core/personnummer.ts';
import type { ImportResult } from '../../src/snapshot/import.ts';
import type { Limits } from '../../src/snapshot/verify.ts';
import { openEncrypted, type Db } from '../../src/store/db.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { buildResidentView } from '../../src/views/resident.ts';
import {
  build,
  CLOCK,
  importInto,
  inlineSource,
  makeExporter,
  makeStation,
  statusOf,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { assembleSnapshot, blocks, frame, resign, type RawPayloadFile } from './container.ts';

const root = tempDir('bad-input');
let exporter: Exporter;
let baselineSource: string;
// The baseline: what every class station has active before its fixtures, and what `hostile`
// adds for the types a fixture leaves out (so references to base-1 and unit-1 resolve).
const BASELINE: Record<string, string> = {
  Organization: '{"resourceType":"Organization","id":"unit-1","name":"Avdelning 1"}',
  Patient: '{"resourceType":"Patient","id":"base-1","name":[{"family":"Bas","given":["Berit"]}]}',
};
let counter = 0;
const unique = (prefix: string) => path.join(root, `${prefix}-${++counter}`);

beforeAll(() => {
  exporter = makeExporter(path.join(root, 'exporter'));
  baselineSource = inlineSource(path.join(root, 'baseline'), {
    Organization: [BASELINE.Organization!],
    Patient: [BASELINE.Patient!],
  });
});

// ---------------------------------------------------------------------------------------------
// Fixture machinery

interface Ctx {
  readonly station: TestStationDir;
  readonly sequence: number;
  /** A fresh path for this fixture's files. */
  readonly out: (suffix: string) => string;
}

type Check = (db: Db, result: ImportResult) => void;
type Outcome =
  | { kind: 'reject'; code: ErrorCode; layer: 'station' | 'exporter'; details?: RegExp }
  | { kind: 'accept'; findings: readonly string[]; check?: Check };

interface Fixture {
  readonly name: string;
  readonly make: (ctx: Ctx) => Promise<string> | string;
  readonly outcome: Outcome;
  readonly limits?: Limits;
  /** The expected outcome is what the station should do; it does not yet (see the note). */
  readonly knownBug?: string;
}

const reject = (
  code: ErrorCode,
  options: { layer?: 'station' | 'exporter'; details?: RegExp } = {},
): Outcome => ({
  kind: 'reject',
  code,
  layer: options.layer ?? 'station',
  details: options.details,
});
const accept = (findings: readonly string[] = [], check?: Check): Outcome => ({
  kind: 'accept',
  findings,
  check,
});

/** A source folder with these files written byte for byte (no counts in its manifest). */
function rawSource(
  files: Record<string, string | Buffer>,
  urls: Record<string, string> = {},
): string {
  const dir = unique('src');
  mkdirSync(dir, { recursive: true });
  const output = Object.entries(files).map(([type, content], i) => {
    // Numbered names: "patient" and "Patient" must not collide on case-insensitive disks.
    const url = urls[type] ?? `${i}-${type}.ndjson`;
    // A url that leaves the folder is only named in the manifest (the exporter must refuse it).
    if (/^[^/\\\0.][^/\\\0]*$/.test(url)) writeFileSync(path.join(dir, url), content);
    return { type, url };
  });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      transactionTime: '2026-11-27T05:00:00.000Z',
      request: 'x/$export',
      requiresAccessToken: false,
      output,
      error: [],
    }),
  );
  return dir;
}

/** Lines joined with LF, each line ended by one. */
const nd = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

/**
 * A signed snapshot of hostile source content, built by the real builder without source checks.
 * The baseline Organization and Patient are added when the fixture has no file of that type.
 */
function hostile(
  ctx: Ctx,
  files: Record<string, string | Buffer>,
  urls?: Record<string, string>,
): Promise<string> {
  const all: Record<string, string | Buffer> = { ...files };
  for (const [type, line] of Object.entries(BASELINE)) all[type] ??= nd(line);
  return build({
    sourceDir: rawSource(all, urls),
    sequence: ctx.sequence,
    exporter,
    recipients: [ctx.station.publicKey],
    out: ctx.out('rjsnap'),
    checkSource: false,
  });
}

/** A correct snapshot for this station at this fixture's sequence. */
function good(ctx: Ctx): Promise<string> {
  return build({
    sourceDir: baselineSource,
    sequence: ctx.sequence,
    exporter,
    recipients: [ctx.station.publicKey],
    out: ctx.out('rjsnap'),
  });
}

/** A signed snapshot assembled from raw payload bytes (for damage below the NDJSON layer). */
function crafted(
  ctx: Ctx,
  files: readonly RawPayloadFile[],
  compression: 'gzip' | 'deflate-blocks' = 'gzip',
): string {
  const out = ctx.out('rjsnap');
  assembleSnapshot({
    files,
    sequence: ctx.sequence,
    signer: exporter,
    recipients: [ctx.station.publicKey],
    out,
    compression,
  });
  return out;
}

/** A deflate-blocks snapshot of one Patient file whose framed payload is `payload`. */
const blocked = (ctx: Ctx, text: string, payload: Buffer, plainSize?: number) =>
  crafted(
    ctx,
    [{ ...rawFile('Patient', text, payload), ...(plainSize !== undefined && { plainSize }) }],
    'deflate-blocks',
  );

function rawFile(type: string, text: Buffer | string, gz?: Buffer, count?: number): RawPayloadFile {
  const plain = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return {
    type,
    gz: gz ?? gzipSync(plain),
    plainSize: plain.length,
    count:
      count ??
      plain
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length,
  };
}

/** A good snapshot for this station, cut to `length(bytes, headerEnd)` bytes. */
async function truncated(ctx: Ctx, length: (size: number, payloadStart: number) => number) {
  const file = await good(ctx);
  const bytes = readFileSync(file);
  const manifestLength = bytes.readUInt32BE(8);
  const payloadStart = 12 + manifestLength + 2 + 64;
  const out = ctx.out('cut.rjsnap');
  writeFileSync(out, bytes.subarray(0, length(bytes.length, payloadStart)));
  return out;
}

function rawOf(db: Db, type: string, id: string): string | undefined {
  return db.prepare('SELECT raw FROM resource WHERE type = ? AND id = ?').pluck().get(type, id) as
    string | undefined;
}

function expectRaw(db: Db, type: string, id: string, text: string): void {
  const raw = rawOf(db, type, id);
  expect(raw, `${type}/${id} stored`).toBeDefined();
  // Compare lengths first: a failing 4 MiB string diff is unreadable.
  expect(raw!.length, `${type}/${id} raw length`).toBe(text.length);
  expect(raw === text, `${type}/${id} raw text is exactly the line sent`).toBe(true);
}

function patientRow(db: Db, id: string): Record<string, unknown> {
  return db.prepare('SELECT * FROM patient WHERE id = ?').get(id) as Record<string, unknown>;
}

function exactAt(value: ExactJson, ...keys: (string | number)[]): ExactJson | undefined {
  let cur: ExactJson | undefined = value;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || cur instanceof ExactNumber) return undefined;
    cur = (cur as Record<string | number, ExactJson>)[k];
  }
  return cur;
}

/** The number at `keys` in a stored resource, as the display parser sees its text. */
function storedNumberText(db: Db, type: string, id: string, ...keys: (string | number)[]) {
  const v = exactAt(parseExact(rawOf(db, type, id)!), ...keys);
  return v instanceof ExactNumber ? v.text : undefined;
}

function stagingLeft(station: TestStationDir): string[] {
  return readdirSync(stationPaths(station.dataDir).snapshotsDir).filter((f) =>
    f.includes('.staging'),
  );
}

function openSnapshotDb(station: TestStationDir, snapshotId: string): Db {
  const paths = stationPaths(station.dataDir);
  return openEncrypted(paths.snapshot(snapshotId), readFileSync(paths.dbKey, 'utf8').trim(), {
    readonly: true,
  });
}

class ClassStation {
  station!: TestStationDir;
  private sequence = 1;

  async init(name: string): Promise<void> {
    this.station = makeStation(unique(`station-${name}`), exporter);
    const first = await build({
      sourceDir: baselineSource,
      sequence: 1,
      exporter,
      recipients: [this.station.publicKey],
      out: unique('baseline.rjsnap'),
    });
    await importInto(this.station, first);
  }

  next(): Ctx {
    const prefix = unique('fx');
    return {
      station: this.station,
      sequence: ++this.sequence,
      out: (suffix) => `${prefix}.${suffix}`,
    };
  }
}

async function runFixture(cls: ClassStation, fx: Fixture): Promise<void> {
  const ctx = cls.next();
  const station = ctx.station;
  const before = statusOf(station);
  expect(before.active, 'the class station has an active snapshot to protect').not.toBeNull();
  const expectUntouched = (failureCode: string | undefined) => {
    const after = statusOf(station);
    expect(after.active?.snapshotId, 'previously active snapshot still active').toBe(
      before.active?.snapshotId,
    );
    expect(after.lastAcceptedSequence).toBe(before.lastAcceptedSequence);
    expect(after.lastFailure?.code).toBe(failureCode);
    expect(stagingLeft(station), 'no staging file left').toEqual([]);
    expect(existsSync(stationPaths(station.dataDir).snapshot(before.active!.snapshotId))).toBe(
      true,
    );
  };
  const outcome = fx.outcome;

  if (outcome.kind === 'reject' && outcome.layer === 'exporter') {
    const error = await Promise.resolve()
      .then(() => fx.make(ctx))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error, `the exporter refuses: ${outcome.code}`).toBeInstanceOf(ReservError);
    expect((error as ReservError).code).toBe(outcome.code);
    expectUntouched(before.lastFailure?.code);
    return;
  }

  const file = await fx.make(ctx);
  const result = await importInto(station, file, fx.limits ? { limits: fx.limits } : {}).then(
    (r) => ({ ok: r }),
    (e: unknown) => ({ error: e }),
  );

  if (outcome.kind === 'reject') {
    expect('error' in result, `expected rejection with ${outcome.code}`).toBe(true);
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(ReservError);
    expect((error as ReservError).code).toBe(outcome.code);
    if (outcome.details) expect((error as ReservError).details.join('\n')).toMatch(outcome.details);
    expectUntouched(outcome.code);
    return;
  }

  if ('error' in result) {
    const e = result.error as ReservError;
    throw new Error(`expected acceptance, got ${e.code} ${JSON.stringify(e.details)}`, {
      cause: e,
    });
  }
  const r = result.ok;
  expect(r.outcome).toBe('accepted');
  expect(r.sequence).toBe(ctx.sequence);
  const after = statusOf(station);
  expect(after.active?.snapshotId).toBe(r.snapshotId);
  expect(stagingLeft(station)).toEqual([]);
  const db = openSnapshotDb(station, r.snapshotId);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM resource').pluck().get()).toBe(r.resources);
    const findings = (
      db.prepare('SELECT type, id, code, detail FROM finding').all() as {
        type: string;
        id: string;
        code: string;
        detail: string;
      }[]
    )
      .map(
        (f) =>
          `${f.type}/${f.id} ${f.code}${f.code === 'DANGLING_REFERENCE' ? ` ${f.detail}` : ''}`,
      )
      .sort();
    expect(findings).toEqual([...outcome.findings].sort());
    outcome.check?.(db, r);
  } finally {
    db.close();
  }
}

/** One `describe` per class; `it.each` over its rows (known bugs as `it.fails`). */
function corpusClass(title: string, fixtures: readonly Fixture[]): void {
  describe(title, () => {
    const cls = new ClassStation();
    beforeAll(() => cls.init(title.slice(0, 3).trim()));
    const run = (fx: Fixture) => runFixture(cls, fx);
    const normal = fixtures.filter((f) => !f.knownBug);
    const bugs = fixtures.filter((f) => f.knownBug);
    it.each(normal)('$name', run, 120_000);
    if (bugs.length > 0) it.fails.each(bugs)('KNOWN BUG: $name ($knownBug)', run);
  });
}

// Resource lines used across classes.
const patient = (id: string, extra = '') =>
  `{"resourceType":"Patient","id":"${id}"${extra ? `,${extra}` : ''}}`;
const observation = (id: string, extra = '') =>
  `{"resourceType":"Observation","id":"${id}","status":"final"${extra ? `,${extra}` : ''}}`;
const PNR = 'http://electronichealth.se/identifier/personnummer';
const SNR = 'http://electronichealth.se/identifier/samordningsnummer';
const RNR = 'http://electronichealth.se/identifier/nationelltReservnummer';
const withIdentity = (id: string, system: string, value: string, extra = '') =>
  patient(
    id,
    `"identifier":[{"system":"${system}","value":"${value}"}]${extra ? `,${extra}` : ''}`,
  );
const wrongCheck = (nine: string) => String((luhnCheckDigit(nine) + 1) % 10);

// ---------------------------------------------------------------------------------------------
// B1 truncated file

corpusClass('B1 truncated file', [
  { name: 'empty file', make: (c) => truncated(c, () => 0), outcome: reject('SNAPSHOT_MALFORMED') },
  {
    name: 'cut inside the magic bytes',
    make: (c) => truncated(c, () => 5),
    outcome: reject('SNAPSHOT_MALFORMED'),
  },
  {
    name: 'cut inside the manifest',
    make: (c) => truncated(c, (_s, p) => Math.floor(p / 2)),
    outcome: reject('SNAPSHOT_MALFORMED'),
  },
  {
    name: 'cut inside the signature',
    make: (c) => truncated(c, (_s, p) => p - 10),
    outcome: reject('SNAPSHOT_MALFORMED'),
  },
  {
    name: 'cut right after the header (no payload)',
    make: (c) => truncated(c, (_s, p) => p),
    outcome: reject('SNAPSHOT_FILE_MISMATCH'),
  },
  {
    name: 'last payload byte missing',
    make: (c) => truncated(c, (s) => s - 1),
    outcome: reject('SNAPSHOT_FILE_MISMATCH'),
  },
  {
    name: 'NDJSON source cut in the middle of its last line',
    make: (c) =>
      hostile(c, { Patient: `${nd(patient('t-1'))}{"resourceType":"Patient","id":"t-2","na` }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 2: not valid JSON/ }),
  },
  {
    name: 'gzip stream cut in half (signed as is)',
    make: (c) => {
      const text = nd(patient('t-3'), patient('t-4'));
      const gz = gzipSync(text);
      return crafted(c, [rawFile('Patient', text, gz.subarray(0, gz.length >> 1))]);
    },
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /cannot be decrypted or decompressed/ }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B2 corrupted gzip (crafted below the NDJSON layer, validly encrypted and signed)

const gzText = nd(patient('g-1'), patient('g-2'), patient('g-3'));
const gzBytes = gzipSync(gzText);
const flipped = (at: number, mask = 0xff) => {
  const b = Buffer.from(gzBytes);
  b[at < 0 ? b.length + at : at]! ^= mask;
  return b;
};

corpusClass('B2 corrupted gzip', [
  {
    name: 'payload is plain NDJSON, not gzip',
    make: (c) => crafted(c, [rawFile('Patient', gzText, Buffer.from(gzText))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'gzip magic byte damaged',
    make: (c) => crafted(c, [rawFile('Patient', gzText, flipped(0))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'deflate block header damaged',
    make: (c) => crafted(c, [rawFile('Patient', gzText, flipped(10))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'deflate data byte damaged (CRC no longer matches)',
    make: (c) => crafted(c, [rawFile('Patient', gzText, flipped(15))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'CRC-32 in the trailer wrong',
    make: (c) => crafted(c, [rawFile('Patient', gzText, flipped(-8, 0x01))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'ISIZE in the trailer wrong',
    make: (c) => crafted(c, [rawFile('Patient', gzText, flipped(-4, 0x01))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'zero bytes of gzip (only the GCM tag)',
    make: (c) => crafted(c, [{ type: 'Patient', gz: Buffer.alloc(0), plainSize: 0, count: 0 }]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
    // Once INTERNAL: an empty ciphertext made the staging read stream throw (end < start).
  },
  {
    name: 'zlib and raw deflate instead of gzip',
    make: (c) =>
      crafted(c, [
        rawFile('Patient', gzText, deflateSync(gzText)),
        rawFile(
          'Organization',
          nd('{"resourceType":"Organization","id":"o"}'),
          deflateRawSync('x'),
        ),
      ]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'text bytes after the gzip member',
    make: (c) =>
      crafted(c, [rawFile('Patient', gzText, Buffer.concat([gzBytes, Buffer.from('garbage!')]))]),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'decompresses to more than the signed manifest promises (bomb)',
    make: (c) =>
      crafted(c, [
        { type: 'Patient', gz: gzipSync(Buffer.alloc(8 << 20, 0x20)), plainSize: 100, count: 0 },
      ]),
    outcome: reject('SNAPSHOT_TOO_LARGE'),
  },
  {
    name: 'two concatenated gzip members are one valid stream',
    make: (c) =>
      crafted(c, [
        rawFile(
          'Patient',
          nd(patient('g-m1'), patient('g-m2')),
          Buffer.concat([gzipSync(nd(patient('g-m1'))), gzipSync(nd(patient('g-m2')))]),
        ),
      ]),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'g-m1', patient('g-m1'));
      expectRaw(db, 'Patient', 'g-m2', patient('g-m2'));
    }),
  },
  {
    name: 'zero padding after the gzip member is ignored',
    make: (c) =>
      crafted(c, [rawFile('Patient', gzText, Buffer.concat([gzBytes, Buffer.alloc(16)]))]),
    outcome: accept([], (db) => expectRaw(db, 'Patient', 'g-3', patient('g-3'))),
  },
]);

// ---------------------------------------------------------------------------------------------
// B2b corrupted deflate blocks (the layout the builder writes: 4-byte length, raw deflate block)

const twoLines = nd(patient('db-1'), patient('db-2'));

corpusClass('B2b corrupted deflate blocks', [
  {
    name: 'a block length beyond the largest block a line allows',
    make: (c) =>
      blocked(
        c,
        twoLines,
        Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xf0]), blocks(twoLines)]),
      ),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /a block claims 4294967280 bytes/ }),
  },
  {
    name: 'a block length of zero',
    make: (c) => blocked(c, twoLines, Buffer.concat([Buffer.alloc(4), blocks(twoLines)])),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /a block claims 0 bytes/ }),
  },
  {
    name: 'the last block cut off',
    make: (c) => blocked(c, twoLines, blocks(twoLines).subarray(0, 12)),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /the last block is cut off/ }),
  },
  {
    name: 'a block that is not deflate',
    make: (c) => blocked(c, twoLines, frame(Buffer.from(twoLines))),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /a block cannot be decompressed/ }),
  },
  {
    name: 'a block that ends inside a line, the line finished by the next block',
    make: (c) => blocked(c, twoLines, blocks(twoLines.slice(0, 20), twoLines.slice(20))),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /a block ends inside a line/ }),
  },
  {
    name: 'an empty block',
    make: (c) => blocked(c, twoLines, Buffer.concat([blocks(''), blocks(twoLines)])),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /a block is empty/ }),
  },
  {
    name: 'a block that decompresses to more than the signed manifest promises (bomb)',
    make: (c) => blocked(c, twoLines, blocks(Buffer.alloc(8 << 20, 0x20)), 100),
    outcome: reject('SNAPSHOT_TOO_LARGE'),
  },
  {
    name: 'blocks decompressing to more in total than the manifest promises',
    make: (c) => blocked(c, twoLines, blocks(twoLines, nd(patient('db-3'))), twoLines.length),
    outcome: reject('SNAPSHOT_TOO_LARGE'),
  },
  {
    name: 'a line of invalid UTF-8 in the second block is named',
    make: (c) =>
      blocked(
        c,
        twoLines,
        blocks(
          twoLines,
          Buffer.concat([
            Buffer.from(nd(patient('db-3'))),
            utf8Line('db-4', Buffer.from([0xc3, 0x28])),
          ]),
        ),
        twoLines.length +
          nd(patient('db-3')).length +
          utf8Line('db-4', Buffer.from([0xc3, 0x28])).length,
      ),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 4: not valid UTF-8/ }),
  },
  {
    name: 'one line a block, blank and CRLF lines among them, no final newline',
    make: (c) =>
      blocked(
        c,
        `${patient('db-5')}\n\n${patient('db-6')}\r\n${patient('db-7')}`,
        blocks(`${patient('db-5')}\n\n`, `${patient('db-6')}\r\n`, patient('db-7')),
      ),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'db-5', patient('db-5'));
      expectRaw(db, 'Patient', 'db-6', patient('db-6'));
      expectRaw(db, 'Patient', 'db-7', patient('db-7'));
    }),
  },
  {
    name: 'a line that itself ends with CR before its CR LF keeps that CR',
    make: (c) => {
      const text = `${patient('db-8')}\r\r\n${patient('db-9')}\n`;
      return blocked(c, text, blocks(text));
    },
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'db-8', `${patient('db-8')}\r`);
      expectRaw(db, 'Patient', 'db-9', patient('db-9'));
    }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B3 invalid UTF-8 (bytes in the source file; the builder copies them, encrypted, unchanged)

const utf8Line = (id: string, inName: Buffer) =>
  Buffer.concat([
    Buffer.from(`{"resourceType":"Patient","id":"${id}","name":[{"family":"`),
    inName,
    Buffer.from('sa"}]}\n'),
  ]);
// The station decodes strict UTF-8 (RFC 8259 §8.1): invalid bytes refuse the snapshot; they are
// never silently replaced, since the stored raw text must be what was sent.
const okUtf8 = `{"resourceType":"Patient","id":"utf8-ok","name":[{"text":"${'Åsa Öberg 😀 € '.repeat(12000)}"}]}`;

corpusClass('B3 invalid UTF-8', [
  {
    name: 'Latin-1 byte (0xC5 for Å) inside a string',
    make: (c) => hostile(c, { Patient: utf8Line('u-1', Buffer.from([0xc5])) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'overlong encoding of "/" (C0 AF)',
    make: (c) => hostile(c, { Patient: utf8Line('u-2', Buffer.from([0xc0, 0xaf])) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'UTF-8 encoded surrogate (ED A0 80)',
    make: (c) => hostile(c, { Patient: utf8Line('u-3', Buffer.from([0xed, 0xa0, 0x80])) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'byte 0xFF inside a string',
    make: (c) => hostile(c, { Patient: utf8Line('u-4', Buffer.from([0xff])) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'multi-byte sequence cut short before the newline',
    make: (c) =>
      hostile(c, {
        Patient: Buffer.concat([
          Buffer.from(nd(patient('u-5'))),
          Buffer.from('{"resourceType":"Patient","id":"u-6"}'),
          Buffer.from([0xe2, 0x82, 0x0a]),
        ]),
      }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 2: not valid UTF-8/ }),
  },
  {
    name: 'invalid byte between JSON tokens',
    make: (c) =>
      hostile(c, {
        Patient: Buffer.concat([
          Buffer.from('{"resourceType":"Patient",'),
          Buffer.from([0xfe]),
          Buffer.from('"id":"u-7"}\n'),
        ]),
      }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'valid multi-byte text across many decoder chunk boundaries is kept exactly',
    make: (c) => hostile(c, { Patient: nd(okUtf8) }),
    outcome: accept([], (db) => expectRaw(db, 'Patient', 'utf8-ok', okUtf8)),
  },
]);

// ---------------------------------------------------------------------------------------------
// B4 malformed JSON line

const malformed = (name: string, line: string): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: nd(patient('m-ok'), line, patient('m-after')) }),
  // The line is named by number only: the parser's message (which can quote data) is not kept.
  outcome: reject('SNAPSHOT_CONTENT_INVALID', {
    details: /^Patient\.ndjson\.blocks line 2: not valid JSON$/,
  }),
});

corpusClass('B4 malformed JSON line', [
  malformed('trailing comma', '{"resourceType":"Patient","id":"m-1",}'),
  malformed('single quotes', "{'resourceType':'Patient','id':'m-2'}"),
  malformed('unquoted key', '{resourceType:"Patient","id":"m-3"}'),
  malformed('NaN and Infinity', '{"resourceType":"Patient","id":"m-4","x":NaN,"y":Infinity}'),
  malformed('two objects on one line', `${patient('m-5')}${patient('m-6')}`),
  malformed('a comment', `// ${patient('m-7')}`),
  malformed('unescaped tab inside a string', '{"resourceType":"Patient","id":"m-8","x":"a\tb"}'),
  malformed('a lone closing bracket', ']'),
  malformed('bad escape', '{"resourceType":"Patient","id":"m-9","x":"\\x41"}'),
]);

// ---------------------------------------------------------------------------------------------
// B5 nesting 10^5 deep

const DEEP = 100_000;
const deepArrays = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObjects = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
const deepObservation = observation(
  'deep-o',
  `"subject":{"reference":"Patient/base-1"},"valueString":"x","extension":${deepArrays}`,
);
const deepPatient = patient('deep-p', `"name":[{"family":"Djup"}],"x-deep":${deepObjects}`);

corpusClass('B5 nesting 10^5 deep', [
  {
    name: 'an Observation with arrays nested 10^5 deep is kept exactly',
    make: (c) => hostile(c, { Observation: nd(deepObservation) }),
    outcome: accept([], (db) => expectRaw(db, 'Observation', 'deep-o', deepObservation)),
  },
  {
    name: 'a Patient with objects nested 10^5 deep is kept and indexed',
    make: (c) => hostile(c, { Patient: nd(deepPatient) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'deep-p', deepPatient);
      expect(patientRow(db, 'deep-p').family).toBe('Djup');
    }),
  },
  {
    name: 'a line that is an array nested 10^5 deep',
    make: (c) => hostile(c, { Patient: nd(deepArrays) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /not a JSON object/ }),
  },
  {
    name: '10^5 opening brackets that are never closed',
    make: (c) => hostile(c, { Patient: nd(patient('deep-x', `"x":${'['.repeat(DEEP)}`)) }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
]);

describe('B5 nesting 10^5 deep: display', () => {
  // The import accepts any depth (the data is kept as sent); the resident view reads each resource
  // on its own, so one nested deeper than the display parser follows is counted, not fatal.
  it('the resident view of a person with a resource nested 10^5 deep can still be built', async () => {
    const cls = new ClassStation();
    await cls.init('B5v');
    const ctx = cls.next();
    const r = await importInto(
      ctx.station,
      await hostile(ctx, {
        Patient: nd(patient('deep-v', '"name":[{"family":"Djup"}]')),
        Observation: nd(
          observation(
            'deep-v-o',
            `"subject":{"reference":"Patient/deep-v"},"extension":${deepArrays}`,
          ),
        ),
      }),
    );
    const db = openSnapshotDb(ctx.station, r.snapshotId);
    try {
      expect(buildResidentView(db, 'deep-v', { now: CLOCK.now() })).toBeDefined();
    } finally {
      db.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// B6 duplicate keys in a JSON object (last one wins, in the importer and the display parser;
// the resource is flagged DUPLICATE_MEMBER)

const dupGender = '{"resourceType":"Patient","id":"dk-1","gender":"male","gender":"female"}';
const dupId = '{"resourceType":"Patient","id":"dk-first","id":"dk-second"}';
const dupType = '{"resourceType":"Observation","id":"dk-3","resourceType":"Patient"}';
const dupNested =
  '{"resourceType":"Patient","id":"dk-4","name":[{"family":"Först","family":"Sist","given":["A"]}]}';

corpusClass('B6 duplicate keys', [
  {
    name: 'a field given twice: kept as sent and flagged, the last value is indexed',
    make: (c) => hostile(c, { Patient: nd(dupGender) }),
    outcome: accept(['Patient/dk-1 DUPLICATE_MEMBER'], (db) => {
      expectRaw(db, 'Patient', 'dk-1', dupGender);
      expect(patientRow(db, 'dk-1').gender).toBe('female');
      expect(exactAt(parseExact(dupGender), 'gender')).toBe('female');
    }),
  },
  {
    name: 'id given twice: stored under the last id',
    make: (c) => hostile(c, { Patient: nd(dupId) }),
    outcome: accept(['Patient/dk-second DUPLICATE_MEMBER'], (db) => {
      expectRaw(db, 'Patient', 'dk-second', dupId);
      expect(rawOf(db, 'Patient', 'dk-first')).toBeUndefined();
    }),
  },
  {
    name: 'resourceType given twice, the last one matching the file',
    make: (c) => hostile(c, { Patient: nd(dupType) }),
    outcome: accept(['Patient/dk-3 DUPLICATE_MEMBER'], (db) =>
      expectRaw(db, 'Patient', 'dk-3', dupType),
    ),
  },
  {
    name: 'resourceType given twice, the last one not matching the file',
    make: (c) =>
      hostile(c, { Patient: nd('{"resourceType":"Patient","id":"dk-5","resourceType":"Flag"}') }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /not a Patient resource/ }),
  },
  {
    name: 'a key repeated inside a nested object',
    make: (c) => hostile(c, { Patient: nd(dupNested) }),
    outcome: accept(['Patient/dk-4 DUPLICATE_MEMBER'], (db) => {
      expectRaw(db, 'Patient', 'dk-4', dupNested);
      expect(patientRow(db, 'dk-4').family).toBe('Sist');
    }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B7 wrong resourceType for the file

const wrongType = (name: string, line: string): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: nd(patient('w-ok'), line) }),
  outcome: reject('SNAPSHOT_CONTENT_INVALID', {
    details: /line 2: not a (Patient resource|JSON object)$/,
  }),
});

corpusClass('B7 wrong resourceType', [
  wrongType('an Observation in the Patient file', observation('w-1')),
  wrongType('resourceType missing', '{"id":"w-2"}'),
  wrongType('resourceType in lower case', '{"resourceType":"patient","id":"w-3"}'),
  wrongType('resourceType as a number', '{"resourceType":1,"id":"w-4"}'),
  wrongType('resourceType as a list', '{"resourceType":["Patient"],"id":"w-5"}'),
  wrongType('the line is a JSON array', `[${patient('w-6')}]`),
  wrongType('the line is a JSON string', '"Patient"'),
  wrongType('the line is null', 'null'),
  wrongType('resourceType with trailing space', '{"resourceType":"Patient ","id":"w-7"}'),
]);

// ---------------------------------------------------------------------------------------------
// B8 invalid id

const badId = (name: string, idJson: string): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: nd(patient('i-ok'), `{"resourceType":"Patient"${idJson}}`) }),
  outcome: reject('SNAPSHOT_CONTENT_INVALID', {
    details: /line 2: missing or invalid resource id$/,
  }),
});
const id64 = `A-.${'z'.repeat(61)}`;

corpusClass('B8 invalid id', [
  badId('id missing', ''),
  badId('id empty', ',"id":""'),
  badId('id with a path', ',"id":"../../etc/passwd"'),
  badId('id with a slash', ',"id":"Patient/i-1"'),
  badId('id with a space', ',"id":"i 2"'),
  badId('id of 65 characters', `,"id":"${'x'.repeat(65)}"`),
  badId('id of 1 MiB', `,"id":"${'x'.repeat(1 << 20)}"`),
  badId('id as a number', ',"id":123'),
  badId('id with a non-ASCII letter', ',"id":"åsa"'),
  badId('id with a newline escape', ',"id":"i-3\\n"'),
  {
    name: 'the longest valid id (64 characters with "-" and ".") is accepted',
    make: (c) => hostile(c, { Patient: nd(patient(id64)) }),
    outcome: accept([], (db) => expectRaw(db, 'Patient', id64, patient(id64))),
  },
]);

// ---------------------------------------------------------------------------------------------
// B9 duplicate id

const conflict = /Patient\/d-1: the same id appears twice with different content/;
corpusClass('B9 duplicate id', [
  {
    name: 'same id, different content',
    make: (c) =>
      hostile(c, {
        Patient: nd(patient('d-1', '"gender":"male"'), patient('d-1', '"gender":"female"')),
      }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: conflict }),
  },
  {
    name: 'same id, same fields in another order',
    make: (c) =>
      hostile(c, {
        Patient: nd(
          patient('d-1', '"gender":"male"'),
          '{"id":"d-1","resourceType":"Patient","gender":"male"}',
        ),
      }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: conflict }),
  },
  {
    name: 'same id, differing only in white space',
    make: (c) =>
      hostile(c, { Patient: nd(patient('d-1'), '{"resourceType": "Patient", "id": "d-1"}') }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: conflict }),
  },
  {
    name: 'conflicting copy 2,500 lines later (another insert batch)',
    make: (c) => {
      const lines = Array.from({ length: 2500 }, (_, i) => patient(`d-${i}`));
      return hostile(c, { Patient: nd(...lines, patient('d-1', '"gender":"other"')) });
    },
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: conflict }),
  },
  {
    name: 'an identical repeated line is stored once',
    make: (c) => hostile(c, { Patient: nd(patient('d-2'), patient('d-3'), patient('d-2')) }),
    outcome: accept([], (db) => {
      expect(db.prepare(`SELECT count(*) FROM resource WHERE type = 'Patient'`).pluck().get()).toBe(
        2,
      );
      expectRaw(db, 'Patient', 'd-2', patient('d-2'));
    }),
  },
  {
    name: 'the same id in two resource types',
    make: (c) => hostile(c, { Patient: nd(patient('d-4')), Observation: nd(observation('d-4')) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'd-4', patient('d-4'));
      expectRaw(db, 'Observation', 'd-4', observation('d-4'));
    }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B10 gigantic strings

const MiB = 1 << 20;
const bigName = patient('big-1', `"name":[{"family":"${'Å'.repeat(MiB)}","given":["Ann"]}]`);
const bigNote = `{"resourceType":"DocumentReference","id":"big-2","status":"current","subject":{"reference":"Patient/base-1"},"content":[{"attachment":{"contentType":"text/plain","data":"${Buffer.alloc(3 * MiB, 'anteckning ').toString('base64')}"}}]}`;
const bigKey = patient('big-3', `"${'k'.repeat(MiB)}":"v"`);
const eightMiB = patient('big-4', `"text":{"div":"${'x'.repeat(8 * MiB)}"}`);
// Just over the 64 MiB line limit of src/snapshot/build.ts (MAX_LINE_CHARS). Crafted, because
// the builder refuses such a line even without source checks. The slowest row (a few seconds):
// LineSplitter re-copies the unfinished line for every chunk, so its cost grows with the square
// of the line length over the chunk size.
const overLimit = () => {
  const line = `{"resourceType":"Patient","id":"big-5","x":"${'a'.repeat(64 * MiB)}"}\n`;
  return Buffer.from(line, 'latin1');
};

corpusClass('B10 gigantic strings', [
  {
    name: 'a family name of 1 Mi characters (2 MiB of UTF-8)',
    make: (c) => hostile(c, { Patient: nd(bigName) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'big-1', bigName);
      expect((patientRow(db, 'big-1').family as string).length).toBe(MiB);
    }),
  },
  {
    name: 'a 4 MiB note',
    make: (c) => hostile(c, { DocumentReference: nd(bigNote) }),
    outcome: accept([], (db) => expectRaw(db, 'DocumentReference', 'big-2', bigNote)),
  },
  {
    name: 'a key of 1 Mi characters',
    make: (c) => hostile(c, { Patient: nd(bigKey) }),
    outcome: accept([], (db) => expectRaw(db, 'Patient', 'big-3', bigKey)),
  },
  {
    name: 'an 8 MiB line over a station limit of 1 MiB of text',
    make: (c) => hostile(c, { Patient: nd(eightMiB) }),
    limits: { maxPayloadBytes: 1e12, maxPlainBytes: MiB, maxFiles: 100 },
    outcome: reject('SNAPSHOT_TOO_LARGE'),
  },
  {
    name: 'an 8 MiB string in a file whose signed manifest promises 1 KiB',
    make: (c) => {
      const text = Buffer.from(nd(eightMiB));
      return crafted(c, [{ type: 'Patient', gz: gzipSync(text), plainSize: 1024, count: 1 }]);
    },
    outcome: reject('SNAPSHOT_TOO_LARGE', { details: /more data than the manifest says/ }),
  },
  {
    name: 'a line over the 64 MiB line limit',
    make: (c) => {
      const text = overLimit();
      return crafted(c, [
        { type: 'Patient', gz: gzipSync(text, { level: 1 }), plainSize: text.length, count: 1 },
      ]);
    },
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 1: too long/ }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B11 names that try to leave the folder: the exporter's source manifest (bulk-folder.ts) and
// the signed snapshot manifest (format.ts)

const leaveFolder = (name: string, url: string): Fixture => ({
  name: `source manifest url ${name}`,
  make: (c) => hostile(c, { Patient: nd(patient('n-1')) }, { Patient: url }),
  outcome: reject('SOURCE_MANIFEST_INVALID', { layer: 'exporter' }),
});
type ManifestFile = { name: string; type: string };
const renamed = (
  name: string,
  change: (f: ManifestFile, m: Record<string, unknown>) => void,
): Fixture => ({
  name: `signed manifest ${name}`,
  make: async (c) => {
    const file = await good(c);
    return resign(file, c.out('renamed.rjsnap'), exporter.signKey, (m) =>
      change((m.files as ManifestFile[])[1]!, m),
    );
  },
  outcome: reject('SNAPSHOT_MALFORMED'),
});

corpusClass('B11 names leaving the folder', [
  leaveFolder('"../Patient.ndjson"', '../Patient.ndjson'),
  leaveFolder('"/etc/passwd" (absolute)', '/etc/passwd'),
  leaveFolder('"sub/Patient.ndjson"', 'sub/Patient.ndjson'),
  leaveFolder('"..\\Patient.ndjson" (Windows)', '..\\Patient.ndjson'),
  leaveFolder('"C:\\Windows\\win.ini" (Windows absolute)', 'C:\\Windows\\win.ini'),
  leaveFolder('".." (the parent itself)', '..'),
  leaveFolder('"" (the folder itself)', ''),
  leaveFolder('with a NUL byte', 'Patient\u0000.ndjson'),
  {
    name: 'source manifest type "../Patient"',
    make: (c) => {
      const dir = rawSource({ Patient: nd(patient('n-2')) });
      const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
        output: { type: string }[];
      };
      m.output[0]!.type = '../Patient';
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
      return build({
        sourceDir: dir,
        sequence: c.sequence,
        exporter,
        recipients: [c.station.publicKey],
        out: c.out('rjsnap'),
        checkSource: false,
      });
    },
    outcome: reject('SOURCE_MANIFEST_INVALID', { layer: 'exporter' }),
  },
  renamed('file name "../Patient.ndjson.gz"', (f) => (f.name = `../${f.name}`)),
  renamed('file name "/etc/passwd"', (f) => (f.name = '/etc/passwd')),
  renamed('file name "..\\..\\Patient.ndjson.gz"', (f) => (f.name = `..\\..\\${f.name}`)),
  renamed('type and name "../Patient"', (f) => {
    f.type = '../Patient';
    f.name = '../Patient.ndjson.gz';
  }),
  renamed('file name with a NUL byte', (f) => (f.name = `${f.type}\u0000.ndjson.gz`)),
  renamed('snapshot id "../../control"', (_f, m) => (m.snapshotId = '../../control')),
  renamed('snapshot id "..\\keys\\db.key"', (_f, m) => (m.snapshotId = '..\\keys\\db.key')),
]);

// ---------------------------------------------------------------------------------------------
// B12 HTML and script in every text field: stored as text, exactly

const X = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  attr: '\\"><svg onload=alert(1)>',
  close: '</textarea></title><b>fet</b>',
  tmpl: "{{constructor.constructor('alert(1)')()}}",
  js: 'javascript:alert(1)',
};
const unJson = (s: string) => JSON.parse(`"${s}"`) as string;
const htmlPatient = patient(
  'h-1',
  `"name":[{"use":"official","text":"${X.script} ${X.attr}","family":"${X.img}","given":["${X.close}","${X.tmpl}"]}],` +
    `"gender":"${X.script}","birthDate":"${X.img}",` +
    `"identifier":[{"system":"${PNR}","value":"${X.script}"}],` +
    `"telecom":[{"system":"phone","value":"${X.js}"}],` +
    `"address":[{"line":["${X.attr}"],"city":"${X.close}"}],` +
    `"extension":[{"url":"http://reservjournal.example/fhir/StructureDefinition/residence-room","valueReference":{"display":"${X.img}"}}]`,
);
const htmlOrg = `{"resourceType":"Organization","id":"h-2","name":"${X.script}","identifier":[{"system":"urn:oid:1.2.752.29.4.19","value":"${X.img}"}],"telecom":[{"system":"phone","value":"${X.attr}"}]}`;
const htmlObs = observation(
  'h-3',
  `"subject":{"reference":"Patient/base-1"},"code":{"text":"${X.script}","coding":[{"display":"${X.img}"}]},"valueString":"${X.attr}","note":[{"text":"${X.close}"}]`,
);
const htmlDoc = `{"resourceType":"DocumentReference","id":"h-4","status":"current","subject":{"reference":"Patient/base-1"},"description":"${X.tmpl}","content":[{"attachment":{"contentType":"text/html","title":"${X.script}","data":"${Buffer.from(`<p onclick="x()">${X.script}</p>`).toString('base64')}"}}]}`;
const htmlFlag = `{"resourceType":"Flag","id":"h-5","status":"active","subject":{"reference":"Patient/base-1"},"code":{"text":"${X.js}"}}`;

corpusClass('B12 HTML and script in text fields', [
  {
    name: 'a Patient with markup in every text field',
    make: (c) => hostile(c, { Patient: nd(htmlPatient) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'Patient', 'h-1', htmlPatient);
      expect(patientRow(db, 'h-1')).toMatchObject({
        name_display: `${X.script} ${unJson(X.attr)}`,
        family: X.img,
        given: `${X.close} ${X.tmpl}`,
        gender: X.script,
        birth_date: X.img,
        ident_value: X.script,
        room: X.img,
      });
    }),
  },
  {
    name: 'an Organization (unit) with markup in its name, HSA id and phone',
    make: (c) => hostile(c, { Organization: nd(htmlOrg) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'Organization', 'h-2', htmlOrg);
      expect(db.prepare('SELECT name, hsa_id, phone FROM unit WHERE id = ?').get('h-2')).toEqual({
        name: X.script,
        hsa_id: X.img,
        phone: unJson(X.attr),
      });
    }),
  },
  {
    name: 'an Observation with markup in code, value and note',
    make: (c) => hostile(c, { Observation: nd(htmlObs) }),
    outcome: accept([], (db) => expectRaw(db, 'Observation', 'h-3', htmlObs)),
  },
  {
    name: 'a note whose base64 text is an HTML page, and a Flag with a javascript: text',
    make: (c) => hostile(c, { DocumentReference: nd(htmlDoc), Flag: nd(htmlFlag) }),
    outcome: accept([], (db) => {
      expectRaw(db, 'DocumentReference', 'h-4', htmlDoc);
      expectRaw(db, 'Flag', 'h-5', htmlFlag);
    }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B13 decimals keep their digits

const qty = (id: string, value: string) =>
  observation(
    id,
    `"subject":{"reference":"Patient/base-1"},"valueQuantity":{"value":${value},"unit":"mg/h"}`,
  );
const decimal = (name: string, values: string[]): Fixture => ({
  name,
  make: (c) => hostile(c, { Observation: nd(...values.map((v, i) => qty(`dec-${i}`, v))) }),
  outcome: accept([], (db) =>
    values.forEach((v, i) => {
      expectRaw(db, 'Observation', `dec-${i}`, qty(`dec-${i}`, v));
      expect(storedNumberText(db, 'Observation', `dec-${i}`, 'valueQuantity', 'value')).toBe(v);
    }),
  ),
});

corpusClass('B13 decimals', [
  decimal('0.010 (the patch rate of edge case 3)', ['0.010']),
  decimal('trailing zeros 1.50, 100.0, 2.000000', ['1.50', '100.0', '2.000000']),
  decimal('negative zero and negative decimals', ['-0.0', '-0', '-12.340']),
  decimal('exponent forms', ['1e-7', '1E+2', '2.50e3']),
  decimal('more digits than a double holds', [
    '0.1000000000000000055511151231257827021181583404541015625',
    '12345678901234567890123',
    '9007199254740993',
  ]),
]);

// ---------------------------------------------------------------------------------------------
// B14 partial dates are stored exactly as written

const partialPatient = (id: string, birthDate: string, extra = '') =>
  patient(id, `"birthDate":"${birthDate}"${extra ? `,${extra}` : ''}`);
const partialBirth = (name: string, birthDate: string): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: nd(partialPatient('pd-1', birthDate)) }),
  outcome: accept([], (db) => {
    expectRaw(db, 'Patient', 'pd-1', partialPatient('pd-1', birthDate));
    expect(patientRow(db, 'pd-1').birth_date).toBe(birthDate);
  }),
});
const datedObs = (id: string, field: string, value: string) =>
  observation(id, `"subject":{"reference":"Patient/base-1"},"${field}":"${value}"`);

corpusClass('B14 partial dates', [
  partialBirth('birth date 1932-05', '1932-05'),
  partialBirth('birth date 1932 (year only)', '1932'),
  partialBirth('birth date 1932-05-00 (test-number style day 00)', '1932-05-00'),
  {
    name: 'a reserve number person born 1932-05 (edge case 4)',
    make: (c) =>
      hostile(c, {
        Patient: nd(withIdentity('pd-2', RNR, '19320500K123', '"birthDate":"1932-05"')),
      }),
    outcome: accept([], (db) => {
      expect(patientRow(db, 'pd-2')).toMatchObject({
        birth_date: '1932-05',
        ident_kind: 'reservnummer',
        ident_valid: 0,
      });
    }),
  },
  {
    name: 'partial and odd dateTimes on clinical resources index as written',
    make: (c) =>
      hostile(c, {
        Observation: nd(
          datedObs('pd-3', 'effectiveDateTime', '1932-05'),
          datedObs('pd-4', 'effectiveDateTime', '2026'),
          datedObs('pd-5', 'issued', '2026-11-27T08:00+01:00'),
        ),
      }),
    outcome: accept([], (db) => {
      const date = (id: string) =>
        db
          .prepare(`SELECT date FROM resource WHERE type = 'Observation' AND id = ?`)
          .pluck()
          .get(id);
      expect([date('pd-3'), date('pd-4'), date('pd-5')]).toEqual([
        '1932-05',
        '2026',
        '2026-11-27T08:00+01:00',
      ]);
      expectRaw(db, 'Observation', 'pd-3', datedObs('pd-3', 'effectiveDateTime', '1932-05'));
    }),
  },
]);

// ---------------------------------------------------------------------------------------------
// B15 line framing and control bytes: empty lines, CRLF, BOM, NUL, other separators

const framed = (name: string, content: string, ids: string[]): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: content }),
  outcome: accept([], (db) => {
    expect(db.prepare(`SELECT count(*) FROM resource WHERE type = 'Patient'`).pluck().get()).toBe(
      ids.length,
    );
    for (const id of ids) expectRaw(db, 'Patient', id, patient(id));
  }),
});
const nulInString = '{"resourceType":"Patient","id":"f-nul","name":[{"text":"a\\u0000b"}]}';
const separators =
  '{"resourceType":"Patient","id":"f-ls","name":[{"text":"a\u2028b\u2029c\u0085d"}]}';

corpusClass('B15 line framing and control bytes', [
  framed(
    'empty lines before, between and after',
    `\n\n${patient('f-1')}\n\n\n${patient('f-2')}\n\n`,
    ['f-1', 'f-2'],
  ),
  framed('lines of spaces, tabs and form feeds', ` \t \n${patient('f-3')}\n\f\v\n`, ['f-3']),
  framed(
    'CRLF line endings (raw stored without the CR)',
    `${patient('f-4')}\r\n${patient('f-5')}\r\n`,
    ['f-4', 'f-5'],
  ),
  framed(
    'mixed LF and CRLF, no final newline',
    `${patient('f-6')}\n${patient('f-7')}\r\n${patient('f-8')}`,
    ['f-6', 'f-7', 'f-8'],
  ),
  framed('a BOM alone on the first line (white space to trim())', `\uFEFF\n${patient('f-9')}\n`, [
    'f-9',
  ]),
  {
    name: 'a BOM at the start of the file',
    make: (c) => hostile(c, { Patient: `\uFEFF${nd(patient('f-10'))}` }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 1: not valid JSON/ }),
  },
  {
    name: 'a raw NUL byte inside a string',
    make: (c) =>
      hostile(c, {
        Patient: nd('{"resourceType":"Patient","id":"f-11","name":[{"text":"a\u0000b"}]}'),
      }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'a line of NUL bytes',
    make: (c) => hostile(c, { Patient: nd(patient('f-12'), '\u0000\u0000\u0000') }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID', { details: /line 2/ }),
  },
  {
    name: 'lone CR as the line separator',
    make: (c) => hostile(c, { Patient: `${patient('f-13')}\r${patient('f-14')}\r` }),
    outcome: reject('SNAPSHOT_CONTENT_INVALID'),
  },
  {
    name: 'an escaped \\u0000 inside a string is kept',
    make: (c) => hostile(c, { Patient: nd(nulInString) }),
    outcome: accept([], (db) => expectRaw(db, 'Patient', 'f-nul', nulInString)),
  },
  {
    name: 'U+2028, U+2029 and U+0085 inside a string are not line breaks',
    make: (c) => hostile(c, { Patient: nd(separators) }),
    outcome: accept([], (db) => expectRaw(db, 'Patient', 'f-ls', separators)),
  },
]);

// ---------------------------------------------------------------------------------------------
// B16 unknown resource type: kept and flagged

const unknownType = (type: string, n = 3): Fixture => ({
  name: `${n} resources of type "${type}"`,
  make: (c) =>
    hostile(c, {
      [type]: nd(
        ...Array.from(
          { length: n },
          (_, i) =>
            `{"resourceType":"${type}","id":"u-${i}","subject":{"reference":"Patient/base-1"}}`,
        ),
      ),
    }),
  outcome: accept(
    Array.from({ length: n }, (_, i) => `${type}/u-${i} UNKNOWN_TYPE`),
    (db) =>
      expectRaw(
        db,
        type,
        'u-0',
        `{"resourceType":"${type}","id":"u-0","subject":{"reference":"Patient/base-1"}}`,
      ),
  ),
});

corpusClass('B16 unknown resource type', [
  unknownType('Frobnicate'),
  unknownType('ActorDefinition'), // R5 only
  {
    ...unknownType('patient', 2), // lower case: not the Patient type, and not indexed as a person
    name: 'resources of type "patient" (lower case) are not people',
    outcome: accept(['patient/u-0 UNKNOWN_TYPE', 'patient/u-1 UNKNOWN_TYPE'], (db) =>
      expect(db.prepare(`SELECT count(*) FROM patient WHERE id LIKE 'u-%'`).pluck().get()).toBe(0),
    ),
  },
  {
    name: 'a known but rare R4 type (Basic) is not flagged',
    make: (c) =>
      hostile(c, { Basic: nd('{"resourceType":"Basic","id":"b-1","code":{"text":"nyckel"}}') }),
    outcome: accept([], (db) =>
      expectRaw(db, 'Basic', 'b-1', '{"resourceType":"Basic","id":"b-1","code":{"text":"nyckel"}}'),
    ),
  },
]);

// ---------------------------------------------------------------------------------------------
// B17 personnummer with a wrong check digit: kept and flagged

const identity = (
  name: string,
  system: string,
  value: string,
  expected: { norm: string; kind: string; valid: 0 | 1 },
): Fixture => ({
  name,
  make: (c) => hostile(c, { Patient: nd(withIdentity('pn-1', system, value)) }),
  // Anything that is not a reserve number and fails the check is flagged; a number of no known
  // shape is flagged as unrecognised.
  outcome: accept(
    expected.kind === 'unknown'
      ? ['Patient/pn-1 IDENTITY_UNRECOGNISED']
      : expected.valid === 0 && expected.kind !== 'reservnummer'
        ? ['Patient/pn-1 IDENTITY_CHECKSUM']
        : [],
    (db) => {
      expectRaw(db, 'Patient', 'pn-1', withIdentity('pn-1', system, value));
      expect(patientRow(db, 'pn-1')).toMatchObject({
        ident_value: value,
        ident_norm: expected.norm,
        ident_kind: expected.kind,
        ident_valid: expected.valid,
      });
    },
  ),
});

corpusClass('B17 identity number check digit', [
  identity(
    'twelve digits with a dash, wrong check digit',
    PNR,
    `19121212-121${wrongCheck('121212121')}`,
    {
      norm: `19121212121${wrongCheck('121212121')}`,
      kind: 'personnummer',
      valid: 0,
    },
  ),
  identity('ten digits, wrong check digit', PNR, `401112-123${wrongCheck('401112123')}`, {
    norm: `1940111212${'3' + wrongCheck('401112123')}`,
    kind: 'personnummer',
    valid: 0,
  }),
  identity('centenarian "+" form, wrong check digit', PNR, `121212+121${wrongCheck('121212121')}`, {
    norm: `19121212121${wrongCheck('121212121')}`,
    kind: 'personnummer',
    valid: 0,
  }),
  identity(
    'samordningsnummer (day + 60), wrong check digit',
    SNR,
    `19401172-123${wrongCheck('401172123')}`,
    {
      norm: `19401172123${wrongCheck('401172123')}`,
      kind: 'samordningsnummer',
      valid: 0,
    },
  ),
  identity('a valid personnummer is not flagged', PNR, '19121212-1212', {
    norm: '191212121212',
    kind: 'personnummer',
    valid: 1,
  }),
  identity('a reserve number has no check digit to flag', RNR, '19320500K123', {
    norm: '19320500K123',
    kind: 'reservnummer',
    valid: 0,
  }),
  identity('an identity of an unknown shape is kept and flagged', PNR, '12345', {
    norm: '12345',
    kind: 'unknown',
    valid: 0,
  }),
]);

// ---------------------------------------------------------------------------------------------
// B18 dangling references: kept and flagged

corpusClass('B18 dangling references', [
  {
    name: 'an Observation about a person the snapshot does not hold',
    make: (c) =>
      hostile(c, {
        Observation: nd(observation('dr-1', '"subject":{"reference":"Patient/ghost"}')),
      }),
    outcome: accept(['Observation/dr-1 DANGLING_REFERENCE Patient/ghost'], (db) =>
      expect(db.prepare(`SELECT patient_id FROM resource WHERE id = 'dr-1'`).pluck().get()).toBe(
        'ghost',
      ),
    ),
  },
  {
    name: 'a medication order whose requester is missing (edge case 7)',
    make: (c) =>
      hostile(c, {
        MedicationRequest: nd(
          '{"resourceType":"MedicationRequest","id":"dr-2","status":"active","intent":"order","subject":{"reference":"Patient/base-1"},"requester":{"reference":"Practitioner/nobody"}}',
        ),
      }),
    outcome: accept(['MedicationRequest/dr-2 DANGLING_REFERENCE Practitioner/nobody']),
  },
  {
    name: 'a person whose unit is missing, and a room reference deep in an extension',
    make: (c) =>
      hostile(c, {
        Patient: nd(
          patient(
            'dr-3',
            '"managingOrganization":{"reference":"Organization/none"},"extension":[{"url":"http://reservjournal.example/fhir/StructureDefinition/residence-room","valueReference":{"reference":"Location/room-9"}}]',
          ),
        ),
      }),
    outcome: accept(
      [
        'Patient/dr-3 DANGLING_REFERENCE Location/room-9',
        'Patient/dr-3 DANGLING_REFERENCE Organization/none',
      ],
      (db) =>
        expect(patientRow(db, 'dr-3')).toMatchObject({
          unit_id: 'none',
          room_ref: 'room-9',
          room: null,
        }),
    ),
  },
  {
    name: 'references that resolve, absolute URLs and contained references are not flagged',
    make: (c) =>
      hostile(c, {
        Observation: nd(
          observation(
            'dr-4',
            '"subject":{"reference":"Patient/base-1"},"performer":[{"reference":"Organization/unit-1"}]',
          ),
          observation(
            'dr-5',
            '"subject":{"reference":"http://example.org/fhir/Patient/elsewhere"},"performer":[{"reference":"#c1"}]',
          ),
        ),
      }),
    outcome: accept([]),
  },
]);

// ---------------------------------------------------------------------------------------------
// Beyond the matrix: valid JSON that is not valid FHIR. Like other odd but authentic data it is
// kept as sent (the station does not validate FHIR); the index columns take what they can.

// Null array elements are skipped by the indexer (prepareRow reads only object elements).
const shaped = (name: string, type: string, line: string, knownBug?: string): Fixture => ({
  name,
  make: (c) => hostile(c, { [type]: nd(line) }),
  outcome: accept([], (db) => {
    const id = (JSON.parse(line) as { id: string }).id;
    expectRaw(db, type, id, line);
  }),
  ...(knownBug ? { knownBug } : {}),
});

corpusClass('X1 valid JSON, invalid FHIR shape', [
  shaped('name as a string', 'Patient', patient('s-1', '"name":"Berit Bas"')),
  shaped('birthDate as a number', 'Patient', patient('s-2', '"birthDate":19320501')),
  shaped(
    'telecom as an object',
    'Organization',
    '{"resourceType":"Organization","id":"s-3","telecom":{"system":"phone"}}',
  ),
  shaped(
    'null values of fields',
    'Observation',
    observation('s-4', '"subject":null,"period":null,"code":null'),
  ),
  shaped('a null element in Patient.name', 'Patient', patient('s-5', '"name":[null]')),
  shaped('a null element in Patient.identifier', 'Patient', patient('s-6', '"identifier":[null]')),
  shaped(
    'a null element in Organization.telecom',
    'Organization',
    '{"resourceType":"Organization","id":"s-7","telecom":[null]}',
  ),
  shaped(
    'a null element in Encounter.participant',
    'Encounter',
    '{"resourceType":"Encounter","id":"s-8","status":"finished","participant":[null]}',
  ),
]);
