/**
 * F2 of the reliability matrix: mutated snapshots through the real import pipeline.
 *
 * A few small valid snapshots are built with the real builder; a seeded generator then makes
 * mutations of two kinds: manifest mutations that stay validly signed (the mutated manifest is
 * signed again with the trusted exporter key, exactly as build.ts signs), sometimes with the
 * payload rearranged to match, and byte-level mutations of the container that are not re-signed.
 * Each mutant is imported into one long-lived station. The import must end in either
 *   - acceptance of a consistent snapshot (active, complete, its database intact and matching its
 *     manifest), or the outcome "unchanged" for a snapshot already active, or
 *   - a ReservError with one of the stable snapshot codes (INTERNAL is not one), after which the
 *     previously active snapshot is still active and intact and no staging file is left.
 *
 * The tests at the end pin validly signed mutations that once crashed the import (INTERNAL) or
 * destroyed the active snapshot.
 */
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReservError, type ErrorCode } from '../../src/core/errors.ts';
import { Rng } from '../../src/generate/random.ts';
import { recoverStation } from '../../src/snapshot/import.ts';
import { keyIdOf } from '../../src/snapshot/keys.ts';
import { openStation } from '../../src/station/station.ts';
import { openEncrypted } from '../../src/store/db.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { assembleSnapshot, goodFile, signManifest, splitSnapshot } from '../corpus/container.ts';
import {
  build,
  generatedSource,
  importInto,
  inlineSource,
  makeExporter,
  makeStation,
  statusOf,
  strangerStationKey,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const NIGHTLY = process.env.RESERVJOURNAL_NIGHTLY === '1';
const MUTATIONS = NIGHTLY ? 3000 : 240;
const SEED = 'f2-mutated-snapshots';
const STATION_NAME = 'boende-norr';
const BASE_SEQUENCE = 1_000_000;

/** The codes a rejected snapshot may end with. */
const STABLE: readonly ErrorCode[] = [
  'SNAPSHOT_MALFORMED',
  'SNAPSHOT_SIGNER_UNTRUSTED',
  'SNAPSHOT_SIGNATURE_INVALID',
  'SNAPSHOT_ROLLBACK',
  'SNAPSHOT_FORK',
  'SNAPSHOT_WRONG_ENVIRONMENT',
  'SNAPSHOT_NOT_FOR_STATION',
  'SNAPSHOT_FILE_MISMATCH',
  'SNAPSHOT_TOO_LARGE',
  'SNAPSHOT_CONTENT_INVALID',
  'SNAPSHOT_CHECK_FAILED',
];

interface MFile {
  name: string;
  type: string;
  offset: number;
  size: number;
  sha256: string;
  plainSize: number;
  count: number;
  nonce: string;
}
interface Manifest {
  [key: string]: unknown;
  snapshotId: string;
  sequence: number;
  files: MFile[];
  totals: { resources: number; payloadBytes: number; plainBytes: number };
  encryption: { alg: string; compression: string; recipients: Record<string, unknown>[] };
}

interface Base {
  readonly name: string;
  readonly sourceDir: string;
  readonly recipients: KeyObject[];
  readonly bytes: Buffer;
  readonly manifest: Manifest;
  readonly headerLength: number;
  readonly payload: Buffer;
}

const root = tempDir('f2');
let exporter: Exporter;
let stranger: Exporter;
let strangerKey: KeyObject;
let station: TestStationDir;
const bases: Base[] = [];

let builds = 0;
async function makeBase(name: string, sourceDir: string, recipients: KeyObject[]): Promise<Base> {
  const file = await build({
    sourceDir,
    sequence: BASE_SEQUENCE,
    exporter,
    recipients,
    out: path.join(root, `base-${name}-${++builds}.rjsnap`),
    targets: [STATION_NAME],
  });
  const parts = splitSnapshot(file);
  return {
    name,
    sourceDir,
    recipients,
    bytes: readFileSync(file),
    manifest: parts.manifest as Manifest,
    headerLength: parts.header.length,
    payload: parts.payload,
  };
}

beforeAll(async () => {
  exporter = makeExporter(path.join(root, 'exporter'));
  stranger = makeExporter(path.join(root, 'stranger'));
  strangerKey = strangerStationKey();
  station = makeStation(path.join(root, 'station'), exporter, { name: STATION_NAME });
  const generated = generatedSource(path.join(root, 'src-generated'), 3, 'f2');
  const small = inlineSource(path.join(root, 'src-small'), {
    Organization: ['{"resourceType":"Organization","id":"u1","name":"Avdelning"}'],
    Patient: [
      '{"resourceType":"Patient","id":"p1","managingOrganization":{"reference":"Organization/u1"}}',
      '{"resourceType":"Patient","id":"p2","birthDate":"1932-05"}',
    ],
    Observation: [
      '{"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"},"valueQuantity":{"value":0.010}}',
    ],
  });
  const single = inlineSource(path.join(root, 'src-single'), {
    Patient: ['{"resourceType":"Patient","id":"s1"}'],
  });
  bases.push(await makeBase('generated', generated, [station.publicKey, strangerKey]));
  bases.push(await makeBase('small', small, [strangerKey, station.publicKey]));
  bases.push(await makeBase('single', single, [station.publicKey]));
  const first = await build({
    sourceDir: small,
    sequence: 1,
    exporter,
    recipients: [station.publicKey],
    out: path.join(root, 'first.rjsnap'),
  });
  await importInto(station, first);
}, 120_000);

// ---------------------------------------------------------------------------------------------
// Mutations

interface Mutant {
  readonly label: string;
  readonly bytes: Buffer;
  /** The base it came from (its snapshot id is reused by re-signed mutants). */
  readonly base?: Base;
}
interface Live {
  /** The station's last accepted sequence before this mutant. */
  readonly last: number;
}

const clone = (m: Manifest): Manifest => JSON.parse(JSON.stringify(m)) as Manifest;
const regions = (base: Base, m: Manifest = base.manifest) =>
  m.files.map((f) => base.payload.subarray(f.offset, f.offset + f.size));
/** Offsets and totals recomputed from the files' sizes, counts and plain sizes. */
function retile(m: Manifest): void {
  let offset = 0;
  for (const f of m.files) {
    f.offset = offset;
    offset += f.size;
  }
  m.totals = {
    resources: m.files.reduce((n, f) => n + f.count, 0),
    payloadBytes: offset,
    plainBytes: m.files.reduce((n, f) => n + f.plainSize, 0),
  };
}
const signed = (m: unknown, payload: Buffer, key: KeyObject = exporter.signKey): Buffer =>
  Buffer.concat([signManifest(m, key), payload]);
/** A field of the manifest set to a value of any type. */
const set = (o: object, k: string, v: unknown) => ((o as Record<string, unknown>)[k] = v);

// Nonces of several lengths, the empty one included.
const nonces = () => [
  '',
  randomBytes(12).toString('base64'),
  randomBytes(16).toString('base64'),
  randomBytes(1).toString('base64'),
  'AAAAAAAAAAAAAAAA',
];

type ManifestOp = (
  rng: Rng,
  m: Manifest,
  base: Base,
  live: Live,
) => { label: string; payload?: Buffer; key?: KeyObject };

const manifestOps: Record<string, ManifestOp> = {
  count(rng, m) {
    const f = rng.pick(m.files);
    f.count = rng.pick([f.count + 1, f.count - 1, 0, f.count * 2, 2 ** 40]);
    if (rng.chance(0.5)) retile(m);
    return { label: `count of ${f.name} := ${f.count}` };
  },
  size(rng, m) {
    const f = rng.pick(m.files);
    f.size = rng.pick([f.size + 1, f.size - 1, 16, 15, 0, f.size * 2]);
    if (rng.chance(0.5)) retile(m);
    return { label: `size of ${f.name} := ${f.size}` };
  },
  offset(rng, m) {
    const f = rng.pick(m.files);
    f.offset = rng.pick([f.offset + 1, Math.max(0, f.offset - 1), 0, f.offset + 16]);
    return { label: `offset of ${f.name} := ${f.offset}` };
  },
  plainSize(rng, m) {
    const f = rng.pick(m.files);
    f.plainSize = rng.pick([f.plainSize + 1, f.plainSize - 1, 0, 1, f.plainSize * 2, 2 ** 50]);
    if (rng.chance(0.5)) retile(m);
    return { label: `plainSize of ${f.name} := ${f.plainSize}` };
  },
  nonce(rng, m) {
    const f = rng.pick(m.files);
    const other = rng.pick(m.files);
    f.nonce = rng.chance(0.3) ? other.nonce : rng.pick(nonces());
    return { label: `nonce of ${f.name} changed` };
  },
  sha256(rng, m) {
    const f = rng.pick(m.files);
    f.sha256 = rng.chance(0.5) ? rng.pick(m.files).sha256 : randomBytes(32).toString('hex');
    return { label: `sha256 of ${f.name} changed` };
  },
  names(rng, m) {
    const f = rng.pick(m.files);
    const g = rng.pick(m.files);
    const how = rng.int(0, 4);
    if (how === 0) {
      [f.name, g.name] = [g.name, f.name];
      [f.type, g.type] = [g.type, f.type];
    } else if (how === 1) {
      f.type = 'Zzz';
      f.name = 'Zzz.ndjson.blocks';
    } else if (how === 2) f.name = g.name;
    else if (how === 3) {
      f.type = f.type.toLowerCase();
      f.name = `${f.type}.ndjson.blocks`;
    } else f.type = g.type;
    return { label: `names/types #${how} on ${f.name}` };
  },
  sequence(rng, m, _b, live) {
    const v = rng.pick<unknown>([
      live.last,
      live.last - 1,
      live.last + 1,
      live.last + 1000,
      0,
      -1,
      1.5,
      String(live.last + 1),
      null,
      Number.MAX_SAFE_INTEGER + 1,
    ]);
    set(m, 'sequence', v);
    return { label: `sequence := ${String(v)}` };
  },
  environment(rng, m) {
    const v = rng.pick<unknown>(['test', 'prod', 'PROD', '', null, ['prod']]);
    set(m, 'environment', v);
    return { label: `environment := ${JSON.stringify(v)}` };
  },
  targets(rng, m) {
    const v = rng.pick<unknown>([
      ['boende-soder'],
      [STATION_NAME],
      [station.keyId],
      [],
      ['x', STATION_NAME],
      [STATION_NAME.toUpperCase()],
      STATION_NAME,
      [5],
    ]);
    set(m, 'targets', v);
    return { label: `targets := ${JSON.stringify(v)}` };
  },
  recipients(rng, m) {
    const list = m.encryption.recipients;
    const ours = list.find((r) => r.keyId === station.keyId)!;
    const how = rng.int(0, 7);
    if (how === 0) m.encryption.recipients = list.filter((r) => r !== ours);
    else if (how === 1) m.encryption.recipients = [...list, { ...ours }];
    else if (how === 2) m.encryption.recipients = [...list].reverse();
    else if (how === 3) ours.wrappedKey = randomBytes(48).toString('base64');
    else if (how === 4) ours.keyId = keyIdOf(strangerKey);
    // Random 32 bytes, or the all-zero low-order point.
    else if (how === 5)
      ours.ephemeralPublicKey = (rng.chance(0.2) ? Buffer.alloc(32) : randomBytes(32)).toString(
        'base64',
      );
    else if (how === 6) ours.nonce = randomBytes(rng.pick([11, 12, 13])).toString('base64');
    else m.encryption.recipients = [{ ...ours, wrappedKey: 'AAAA' }, ours];
    return { label: `recipients #${how}` };
  },
  totals(rng, m) {
    const k = rng.pick(['resources', 'payloadBytes', 'plainBytes'] as const);
    m.totals[k] += rng.pick([1, -1, 1000]);
    return { label: `totals.${k} changed` };
  },
  removeFile(rng, m, base) {
    const i = rng.int(0, m.files.length - 1);
    const parts = regions(base, m);
    const consistent = rng.chance(0.6);
    const name = m.files[i]!.name;
    m.files.splice(i, 1);
    parts.splice(i, 1);
    if (consistent) retile(m);
    return {
      label: `remove ${name}${consistent ? ' (retiled)' : ''}`,
      payload: consistent ? Buffer.concat(parts) : base.payload,
    };
  },
  duplicateFile(rng, m, base) {
    const i = rng.int(0, m.files.length - 1);
    const parts = regions(base, m);
    m.files.splice(i, 0, { ...m.files[i]! });
    parts.splice(i, 0, parts[i]!);
    retile(m);
    return { label: `duplicate ${m.files[i]!.name}`, payload: Buffer.concat(parts) };
  },
  reorder(rng, m, base) {
    const order = rng.shuffle(m.files.map((_, i) => i));
    const parts = regions(base, m);
    m.files = order.map((i) => m.files[i]!);
    const payload = Buffer.concat(order.map((i) => parts[i]!));
    const consistent = rng.chance(0.7);
    if (consistent) retile(m);
    return { label: `reorder ${order.join(',')}${consistent ? ' (retiled)' : ''}`, payload };
  },
  swapRegions(rng, m, base) {
    // Payload regions exchanged (with their sizes, checksums and offsets), names left in place.
    if (m.files.length < 2) return { label: 'swap regions (single file, none)' };
    const [i, j] = rng.sample(
      m.files.map((_, k) => k),
      2,
    ) as [number, number];
    const parts = regions(base, m);
    const [fi, fj] = [m.files[i]!, m.files[j]!];
    for (const k of ['size', 'sha256', 'nonce', 'plainSize', 'count'] as const) {
      const t = fi[k];
      set(fi, k, fj[k]);
      set(fj, k, t);
    }
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    retile(m);
    return { label: `swap regions of ${fi.name} and ${fj.name}`, payload: Buffer.concat(parts) };
  },
  snapshotId(rng, m) {
    const v = rng.pick<unknown>([randomUUID(), '../x/../y', 'short', 'A'.repeat(64), 42]);
    set(m, 'snapshotId', v);
    return { label: `snapshotId := ${String(v)}` };
  },
  times(rng, m) {
    const k = rng.pick(['createdAt', 'transactionTime']);
    const v = rng.pick<unknown>([
      '2030-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      'yesterday',
      '',
      0,
      '2026-11-27',
    ]);
    set(m, k, v);
    return { label: `${k} := ${JSON.stringify(v)}` };
  },
  descriptive(rng, m) {
    const how = rng.int(0, 3);
    if (how === 0) set(m, 'units', ['u1', '<script>']);
    else if (how === 1) set(m, 'personCountsByUnit', { u1: 999 });
    else if (how === 2) set(m, 'comment', 'an extra field');
    else set(m, 'personCountsByUnit', { u1: -1 });
    return { label: `descriptive field #${how}` };
  },
  header(rng, m) {
    const how = rng.int(0, 4);
    if (how === 0) set(m, 'format', 'reservjournal-snapshot-2');
    else if (how === 1) set(m, 'formatVersion', 2);
    else if (how === 2) set(m, 'signer', keyIdOf(stranger.publicKey));
    else if (how === 3) set(m.encryption, 'compression', 'zstd');
    else set(m.encryption, 'alg', 'ROT13');
    return { label: `format field #${how}` };
  },
  foreignSigner(rng, m) {
    // Signed by an exporter key the station does not trust, naming it or still naming ours.
    if (rng.chance(0.5)) set(m, 'signer', keyIdOf(stranger.publicKey));
    return {
      label: `signed by an untrusted key, signer ${String(m.signer)}`,
      key: stranger.signKey,
    };
  },
};

type ByteOp = (rng: Rng, base: Base) => Mutant;
const byteOps: Record<string, ByteOp> = {
  truncate(rng, b) {
    const at = rng.int(0, b.bytes.length - 1);
    return { label: `truncate at ${at}`, bytes: b.bytes.subarray(0, at) };
  },
  append(rng, b) {
    const n = rng.int(1, 100);
    return { label: `append ${n} bytes`, bytes: Buffer.concat([b.bytes, randomBytes(n)]) };
  },
  prepend(rng, b) {
    const n = rng.int(1, 16);
    return { label: `prepend ${n} bytes`, bytes: Buffer.concat([randomBytes(n), b.bytes]) };
  },
  overwrite(rng, b) {
    const at = rng.int(0, b.bytes.length - 1);
    const n = rng.int(1, 8);
    const out = Buffer.from(b.bytes);
    randomBytes(n).copy(out, at);
    return { label: `overwrite ${n} bytes at ${at}`, bytes: out.subarray(0, b.bytes.length) };
  },
  deleteRange(rng, b) {
    const at = rng.int(0, b.bytes.length - 1);
    const n = rng.int(1, 32);
    return {
      label: `delete ${n} bytes at ${at}`,
      bytes: Buffer.concat([b.bytes.subarray(0, at), b.bytes.subarray(at + n)]),
    };
  },
  manifestLength(rng, b) {
    const out = Buffer.from(b.bytes);
    const v = rng.pick([
      0,
      1,
      out.readUInt32BE(8) + 1,
      out.readUInt32BE(8) - 1,
      0xffffffff,
      1024 * 1024 + 1,
    ]);
    out.writeUInt32BE(v >>> 0, 8);
    return { label: `manifest length := ${v}`, bytes: out };
  },
  signatureLength(rng, b) {
    const out = Buffer.from(b.bytes);
    const v = rng.pick([0, 63, 65, 0xffff]);
    out.writeUInt16BE(v, b.headerLength - 66);
    return { label: `signature length := ${v}`, bytes: out };
  },
  swapPayloadRegions(rng, b) {
    const parts = regions(b);
    if (parts.length < 2)
      return {
        label: 'swap payload (single file, reversed halves)',
        bytes: Buffer.concat([
          b.bytes.subarray(0, b.headerLength),
          b.payload.subarray(b.payload.length >> 1),
          b.payload.subarray(0, b.payload.length >> 1),
        ]),
      };
    const order = rng.shuffle(parts.map((_, i) => i));
    return {
      label: `payload regions in order ${order.join(',')} (manifest unchanged)`,
      bytes: Buffer.concat([b.bytes.subarray(0, b.headerLength), ...order.map((i) => parts[i]!)]),
    };
  },
  duplicateRegion(rng, b) {
    const parts = regions(b);
    const i = rng.int(0, parts.length - 1);
    parts.splice(i, 0, parts[i]!);
    return {
      label: `payload region ${i} twice (manifest unchanged)`,
      bytes: Buffer.concat([b.bytes.subarray(0, b.headerLength), ...parts]),
    };
  },
  magic(rng, b) {
    const out = Buffer.from(b.bytes);
    out[rng.int(0, 7)]! ^= 1 << rng.int(0, 7);
    return { label: 'magic bit flipped', bytes: out };
  },
};

function mutate(rng: Rng, live: Live): Mutant {
  const base = rng.pick(bases);
  if (rng.chance(0.3)) {
    const name = rng.pick(Object.keys(byteOps));
    const m = byteOps[name]!(rng, base);
    return { label: `${base.name}: bytes ${m.label}`, bytes: m.bytes, base };
  }
  const m = clone(base.manifest);
  m.sequence = live.last + 1;
  const labels: string[] = [];
  let payload = base.payload;
  let key: KeyObject | undefined;
  // Mostly one change, sometimes two or three together.
  const n = rng.chance(0.8) ? 1 : rng.int(2, 3);
  for (let i = 0; i < n; i++) {
    const name = rng.pick(Object.keys(manifestOps));
    // Ops that rearrange the payload work from the base's payload: at most one per mutant.
    const r = manifestOps[name]!(rng, m, { ...base, payload }, live);
    labels.push(r.label);
    if (r.payload) payload = r.payload;
    if (r.key) key = r.key;
    if (r.payload) break;
  }
  return {
    label: `${base.name}: signed ${labels.join(' + ')}`,
    bytes: signed(m, payload, key),
    base,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

function stagingLeft(): string[] {
  return readdirSync(stationPaths(station.dataDir).snapshotsDir).filter((f) =>
    f.includes('.staging'),
  );
}

/** The active snapshot is complete: on disk, intact, with the count and sequence the control
 * database records for it. */
function expectActiveConsistent(expected?: {
  snapshotId: string;
  sequence: number;
  resources: number;
}): void {
  const s = openStation(station.dataDir);
  try {
    const row = s.row();
    const active = s.control
      .prepare(`SELECT id, sequence, resource_count AS n FROM snapshot WHERE state = 'active'`)
      .all() as { id: string; sequence: number; n: number }[];
    expect(active).toHaveLength(1);
    const a = active[0]!;
    expect(row.activeSnapshotId).toBe(a.id);
    expect(row.lastAcceptedSequence).toBe(a.sequence);
    if (expected)
      expect({ snapshotId: a.id, sequence: a.sequence, resources: a.n }).toEqual(expected);
    const file = s.paths.snapshot(a.id);
    expect(existsSync(file), 'the active snapshot file exists').toBe(true);
    const db = openEncrypted(file, s.dbKey, { readonly: true });
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM resource').pluck().get()).toBe(a.n);
      const info = Object.fromEntries(
        (
          db.prepare('SELECT key, value FROM snapshot_info').all() as {
            key: string;
            value: string;
          }[]
        ).map((r) => [r.key, r.value]),
      );
      expect(info.snapshotId).toBe(a.id);
      expect(info.sequence).toBe(String(a.sequence));
    } finally {
      db.close();
    }
  } finally {
    s.close();
  }
}

async function importMutant(
  file: string,
): Promise<{ ok?: Awaited<ReturnType<typeof importInto>>; error?: unknown }> {
  return importInto(station, file).then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );
}

describe('F2: mutated signed snapshots', () => {
  it(`imports ${MUTATIONS} seeded mutations: each is accepted consistently or refused with a stable code`, async () => {
    const rng = new Rng(SEED);
    const file = path.join(root, 'mutant.rjsnap');
    const outcomes = new Map<string, number>();
    for (let i = 0; i < MUTATIONS; i++) {
      const before = statusOf(station);
      const mutant = mutate(rng, { last: before.lastAcceptedSequence });
      const where = `mutation ${i} (${mutant.label})`;
      writeFileSync(file, mutant.bytes);
      const result = await importMutant(file);
      if (result.ok) {
        const r = result.ok;
        outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
        const after = statusOf(station);
        expect(after.active?.snapshotId, where).toBe(r.snapshotId);
        if (r.outcome === 'unchanged') expect(r.snapshotId, where).toBe(before.active?.snapshotId);
        else expect(after.lastAcceptedSequence, where).toBe(r.sequence);
        expectActiveConsistent({
          snapshotId: r.snapshotId,
          sequence: r.sequence,
          resources: r.resources,
        });
        // Re-signed mutants keep their base's snapshot id, and a station never accepts an id twice
        // (SNAPSHOT_FORK): give the pool a fresh base so later mutants still reach the payload.
        const used = mutant.base;
        if (used && r.snapshotId === used.manifest.snapshotId)
          bases[bases.indexOf(used)] = await makeBase(used.name, used.sourceDir, used.recipients);
      } else {
        const e = result.error;
        expect(e, `${where}: not a ReservError: ${String(e)}`).toBeInstanceOf(ReservError);
        const code = (e as ReservError).code;
        outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
        expect(
          STABLE,
          `${where}: ${code} ${JSON.stringify((e as ReservError).details)} ${String((e as Error).cause)}`,
        ).toContain(code);
        const after = statusOf(station);
        expect(after.active?.snapshotId, `${where}: active snapshot changed`).toBe(
          before.active?.snapshotId,
        );
        expect(after.lastAcceptedSequence, where).toBe(before.lastAcceptedSequence);
        expect(after.lastFailure?.code, where).toBe(code);
        expect(stagingLeft(), where).toEqual([]);
        expectActiveConsistent();
      }
    }
    // The pools reach both ends: some mutants are accepted, and many different refusals occur.
    const summary = JSON.stringify([...outcomes]);
    expect(outcomes.get('accepted') ?? 0, summary).toBeGreaterThan(5);
    expect(
      [...outcomes.keys()].filter((k) => k.startsWith('SNAPSHOT_')).length,
      summary,
    ).toBeGreaterThanOrEqual(6);
    // A restart finds nothing to clean up.
    const s = openStation(station.dataDir);
    try {
      expect(recoverStation(s)).toEqual([]);
      expect(s.control.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      s.close();
    }
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------
// Validly signed mutations that once ended in INTERNAL or destroyed the active snapshot

describe('F2: signed mutations that once crashed the import', () => {
  async function stationWithSnapshot(name: string) {
    const st = makeStation(path.join(root, `reg-${name}`), exporter);
    const src = inlineSource(path.join(root, `reg-src-${name}`), {
      Patient: ['{"resourceType":"Patient","id":"k1"}'],
    });
    const make = (sequence: number) =>
      build({
        sourceDir: src,
        sequence,
        exporter,
        recipients: [st.publicKey],
        out: path.join(root, `reg-${name}-${sequence}.rjsnap`),
      });
    const first = await make(1);
    await importInto(st, first);
    return { st, first, next: await make(2) };
  }

  async function expectRefused(st: TestStationDir, file: string, code: ErrorCode) {
    const before = statusOf(st);
    const error = await importInto(st, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReservError);
    expect((error as ReservError).code).toBe(code);
    const after = statusOf(st);
    expect(after.active?.snapshotId).toBe(before.active?.snapshotId);
    expect(after.lastFailure?.code).toBe(code);
    const paths = stationPaths(st.dataDir);
    expect(readdirSync(paths.snapshotsDir).filter((f) => f.includes('.staging'))).toEqual([]);
    // The active snapshot is still on disk and readable.
    const db = openEncrypted(
      paths.snapshot(before.active!.snapshotId),
      readFileSync(paths.dbKey, 'utf8').trim(),
      { readonly: true },
    );
    try {
      expect(db.prepare('SELECT count(*) FROM resource').pluck().get()).toBe(
        before.active!.resourceCount,
      );
    } finally {
      db.close();
    }
  }

  function resigned(file: string, out: string, change: (m: Manifest) => void): string {
    const parts = splitSnapshot(file);
    const m = parts.manifest as Manifest;
    change(m);
    writeFileSync(out, signed(m, parts.payload));
    return out;
  }

  // A nonce that decodes to no bytes made createDecipheriv throw outside the staging try.
  it.each(['', '!!!!', 'AAAA'])('a signed file nonce %j is SNAPSHOT_MALFORMED', async (nonce) => {
    const { st, next } = await stationWithSnapshot(`nonce-${Buffer.from(nonce).toString('hex')}`);
    await expectRefused(
      st,
      resigned(next, `${next}.nonce`, (m) => (m.files[0]!.nonce = nonce)),
      'SNAPSHOT_MALFORMED',
    );
  });

  // A low-order X25519 point made diffieHellman throw outside unwrapContentKey's try.
  it.each([0, 1])(
    'a signed low-order ephemeral key (point %i) is SNAPSHOT_NOT_FOR_STATION',
    async (first) => {
      const { st, next } = await stationWithSnapshot(`eph-${first}`);
      const point = Buffer.alloc(32);
      point[0] = first;
      await expectRefused(
        st,
        resigned(next, `${next}.eph`, (m) => {
          m.encryption.recipients[0]!.ephemeralPublicKey = point.toString('base64');
        }),
        'SNAPSHOT_NOT_FOR_STATION',
      );
    },
  );

  // The staging file was renamed over <id>.sqlite before the commit, whose INSERT then failed on
  // the id, and the failure path removed the renamed file: the active snapshot's database.
  it('the active snapshot re-signed with a higher sequence is SNAPSHOT_FORK and stays intact', async () => {
    const { st, first } = await stationWithSnapshot('reuse-resign');
    await expectRefused(
      st,
      resigned(first, `${first}.seq2`, (m) => (m.sequence = 2)),
      'SNAPSHOT_FORK',
    );
  });

  it('a new snapshot under the active snapshot id is SNAPSHOT_FORK and the active one stays intact', async () => {
    const { st } = await stationWithSnapshot('reuse-new');
    const out = path.join(root, 'reg-reuse.rjsnap');
    assembleSnapshot({
      files: [goodFile('Patient', ['{"resourceType":"Patient","id":"other"}'])],
      sequence: 2,
      signer: exporter,
      recipients: [st.publicKey],
      out,
      snapshotId: statusOf(st).active!.snapshotId,
    });
    await expectRefused(st, out, 'SNAPSHOT_FORK');
  });
});
