/**
 * Rows S1, S2, S3, S7, S8, S9 and D6 of the reliability matrix, and encryption at rest: every
 * hostile snapshot is rejected with a stable code before any payload byte is parsed, and the
 * station keeps serving what it had.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { ReservError } from '../../src/core/errors.ts';
import { PREAMBLE_BYTES, SIGNING_CONTEXT, encodeHeader } from '../../src/snapshot/format.ts';
import { readHeader } from '../../src/snapshot/verify.ts';
import { addTrustedKey, openStation, revokeTrustedKey } from '../../src/station/station.ts';
import { generateKeyPair } from '../../src/snapshot/keys.ts';
import { openEncrypted } from '../../src/store/db.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { sign } from 'node:crypto';
import { Rng } from '../../src/generate/random.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
  recorder,
  statusOf,
  strangerStationKey,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { resign as resignWith } from '../corpus/container.ts';
import { restartAndCheck } from '../helpers/invariants.ts';
import { tempDir } from '../helpers/tmp.ts';

const NIGHTLY = process.env.RESERVJOURNAL_NIGHTLY === '1';
const root = tempDir('security');
let exporter: Exporter;
let source: string;
let source2: string;

beforeAll(() => {
  exporter = makeExporter(path.join(root, 'exporter'));
  source = generatedSource(path.join(root, 'export'), 12, 'sec-1');
  source2 = generatedSource(path.join(root, 'export2'), 12, 'sec-2');
});

let n = 0;
function freshStation(options: Parameters<typeof makeStation>[2] = {}): TestStationDir {
  return makeStation(path.join(root, `station-${++n}`), exporter, options);
}

async function snapshotFor(
  station: TestStationDir,
  sequence: number,
  extra: Partial<Parameters<typeof build>[0]> = {},
): Promise<string> {
  return build({
    sourceDir: source,
    sequence,
    exporter,
    recipients: [station.publicKey],
    out: path.join(root, `snap-${++n}.rjsnap`),
    ...extra,
  });
}

async function expectRejected(station: TestStationDir, file: string, code: string): Promise<void> {
  const before = statusOf(station);
  const rec = recorder();
  const error = await importInto(station, file, { failpoint: rec.failpoint }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(ReservError);
  expect((error as ReservError).code).toBe(code);
  // I3: no payload byte was parsed: the importer never reached its staging step.
  expect(rec.reached).not.toContain('stage');
  const after = statusOf(station);
  expect(after.active?.snapshotId).toBe(before.active?.snapshotId);
  expect(after.lastAcceptedSequence).toBe(before.lastAcceptedSequence);
  expect(after.lastFailure?.code).toBe(code);
  expect(
    readdirSync(stationPaths(station.dataDir).snapshotsDir).filter((f) => f.includes('staging')),
  ).toEqual([]);
}

/** Replace the manifest of a snapshot file and sign it again with the (trusted) exporter key. */
function resign(file: string, out: string, mutate: (m: Record<string, unknown>) => void): string {
  return resignWith(file, out, exporter.signKey, mutate);
}

describe('S1: single bit flips', () => {
  it(`rejects ${NIGHTLY ? '10,000' : '500'} random single-bit flips anywhere in the file before parsing anything`, async () => {
    const station = freshStation();
    const first = await snapshotFor(station, 1);
    await importInto(station, first);
    const good = await snapshotFor(station, 2);
    const bytes = readFileSync(good);
    const header = readHeader(good);
    const rng = new Rng('bitflips');
    const flips = NIGHTLY ? 10_000 : 500;
    const regions = [
      [0, PREAMBLE_BYTES],
      [PREAMBLE_BYTES, header.payloadStart - 66],
      [header.payloadStart - 66, header.payloadStart],
      [header.payloadStart, bytes.length],
    ] as const;
    const target = path.join(root, 'flipped.rjsnap');
    const codes = new Map<string, number>();
    for (let i = 0; i < flips; i++) {
      const [lo, hi] = regions[i % regions.length]!;
      const at = rng.int(lo, hi - 1);
      const mutated = Buffer.from(bytes);
      mutated[at]! ^= 1 << rng.int(0, 7);
      writeFileSync(target, mutated);
      const rec = recorder();
      const error = await importInto(station, target, { failpoint: rec.failpoint }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `flip at byte ${at} was accepted`).toBeInstanceOf(ReservError);
      expect(rec.reached, `flip at byte ${at} reached parsing`).not.toContain('stage');
      const code = (error as ReservError).code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(statusOf(station).active?.sequence).toBe(1);
    for (const code of codes.keys())
      expect([
        'SNAPSHOT_MALFORMED',
        'SNAPSHOT_SIGNATURE_INVALID',
        'SNAPSHOT_SIGNER_UNTRUSTED',
        'SNAPSHOT_FILE_MISMATCH',
      ]).toContain(code);
    // The untouched snapshot still imports afterwards.
    await expect(importInto(station, good)).resolves.toMatchObject({
      outcome: 'accepted',
      sequence: 2,
    });
  }, 600_000);
});

describe('S2: keys', () => {
  it('rejects a snapshot signed by an unknown exporter key', async () => {
    const station = freshStation();
    const stranger = makeExporter(path.join(root, 'stranger'));
    const file = await build({
      sourceDir: source,
      sequence: 1,
      exporter: stranger,
      recipients: [station.publicKey],
      out: path.join(root, 's2-unknown.rjsnap'),
    });
    await expectRejected(station, file, 'SNAPSHOT_SIGNER_UNTRUSTED');
  });

  it('rejects a snapshot signed by a revoked key', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const s = openStation(station.dataDir);
    const keyId = s.control.prepare('SELECT key_id FROM trusted_key').pluck().get() as string;
    // The only trusted key cannot be revoked: the station would refuse everything, unnoticed.
    expect(revokeTrustedKey(s.control, keyId, new Date())).toBe('last');
    addTrustedKey(s.control, generateKeyPair('ed25519').publicPem, new Date());
    expect(revokeTrustedKey(s.control, keyId, new Date())).toBe('revoked');
    expect(revokeTrustedKey(s.control, keyId, new Date())).toBe('unknown');
    s.close();
    await expectRejected(station, file, 'SNAPSHOT_SIGNER_UNTRUSTED');
  });

  it('rejects a truncated signature and a missing signature', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const bytes = readFileSync(file);
    const header = readHeader(file);
    const sigAt = header.payloadStart - 66;
    const truncated = Buffer.concat([
      bytes.subarray(0, sigAt),
      Buffer.from([0, 32]),
      bytes.subarray(sigAt + 2, sigAt + 34),
      bytes.subarray(header.payloadStart),
    ]);
    writeFileSync(path.join(root, 's2-trunc.rjsnap'), truncated);
    await expectRejected(station, path.join(root, 's2-trunc.rjsnap'), 'SNAPSHOT_SIGNATURE_INVALID');
    writeFileSync(path.join(root, 's2-nosig.rjsnap'), bytes.subarray(0, sigAt));
    await expectRejected(station, path.join(root, 's2-nosig.rjsnap'), 'SNAPSHOT_MALFORMED');
  });
});

describe('S3: rollback and forks', () => {
  it('rejects an older sequence, and treats the same snapshot again as unchanged', async () => {
    const station = freshStation();
    const one = await snapshotFor(station, 1);
    const two = await snapshotFor(station, 2);
    await importInto(station, two);
    await expectRejected(station, one, 'SNAPSHOT_ROLLBACK');
    await expect(importInto(station, two)).resolves.toMatchObject({ outcome: 'unchanged' });
  });

  it('rejects the same sequence with other content and raises an alert', async () => {
    const station = freshStation();
    await importInto(station, await snapshotFor(station, 5));
    const fork = await build({
      sourceDir: source2,
      sequence: 5,
      exporter,
      recipients: [station.publicKey],
      out: path.join(root, 's3-fork.rjsnap'),
    });
    await expectRejected(station, fork, 'SNAPSHOT_FORK');
    expect(statusOf(station).lastFailure?.alert).toBe(true);
  });
});

describe('S7: mix and match', () => {
  it('rejects a payload file taken from another snapshot, an extra file, a missing file and swapped files', async () => {
    const station = freshStation();
    await importInto(station, await snapshotFor(station, 1));
    const a = await snapshotFor(station, 2);
    const b = await build({
      sourceDir: source,
      sequence: 2,
      exporter,
      recipients: [station.publicKey],
      out: path.join(root, 's7-b.rjsnap'),
    });
    const ha = readHeader(a);
    const hb = readHeader(b);
    const bytesA = readFileSync(a);
    const bytesB = readFileSync(b);
    const manifestA = JSON.parse(ha.manifestBytes.toString()) as {
      files: { name: string; offset: number; size: number }[];
    };
    const manifestB = JSON.parse(hb.manifestBytes.toString()) as {
      files: { name: string; offset: number; size: number }[];
    };
    // Same file name, same size class: take B's Patient file into A when the sizes match, else
    // write B's bytes over A's region (either way the checksum differs).
    const fa = manifestA.files.find((f) => f.name === 'Patient.ndjson.blocks')!;
    const fb = manifestB.files.find((f) => f.name === 'Patient.ndjson.blocks')!;
    const mixed = Buffer.from(bytesA);
    bytesB.copy(
      mixed,
      ha.payloadStart + fa.offset,
      hb.payloadStart + fb.offset,
      hb.payloadStart + fb.offset + Math.min(fa.size, fb.size),
    );
    writeFileSync(path.join(root, 's7-mixed.rjsnap'), mixed);
    await expectRejected(station, path.join(root, 's7-mixed.rjsnap'), 'SNAPSHOT_FILE_MISMATCH');

    writeFileSync(
      path.join(root, 's7-extra.rjsnap'),
      Buffer.concat([
        bytesA,
        bytesB.subarray(hb.payloadStart + fb.offset, hb.payloadStart + fb.offset + fb.size),
      ]),
    );
    await expectRejected(station, path.join(root, 's7-extra.rjsnap'), 'SNAPSHOT_FILE_MISMATCH');

    const last = manifestA.files[manifestA.files.length - 1]!;
    writeFileSync(
      path.join(root, 's7-missing.rjsnap'),
      bytesA.subarray(0, ha.payloadStart + last.offset),
    );
    await expectRejected(station, path.join(root, 's7-missing.rjsnap'), 'SNAPSHOT_FILE_MISMATCH');

    const [f0, f1] = manifestA.files;
    const swapped = Buffer.concat([
      bytesA.subarray(0, ha.payloadStart),
      bytesA.subarray(ha.payloadStart + f1!.offset, ha.payloadStart + f1!.offset + f1!.size),
      bytesA.subarray(ha.payloadStart + f0!.offset, ha.payloadStart + f0!.offset + f0!.size),
      bytesA.subarray(ha.payloadStart + f1!.offset + f1!.size),
    ]);
    writeFileSync(path.join(root, 's7-swapped.rjsnap'), swapped);
    await expectRejected(station, path.join(root, 's7-swapped.rjsnap'), 'SNAPSHOT_FILE_MISMATCH');
  });

  it('rejects a file renamed in a validly signed manifest: its encryption is bound to its name', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const renamed = resign(file, path.join(root, 's7-renamed.rjsnap'), (m) => {
      const files = m.files as { name: string; type: string }[];
      const [x, y] = [files[0]!, files[1]!];
      [x.name, y.name] = [y.name, x.name];
      [x.type, y.type] = [y.type, x.type];
    });
    const error = await importInto(station, renamed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_CONTENT_INVALID');
    const relabelled = resign(file, path.join(root, 's7-relabelled.rjsnap'), (m) => {
      const files = m.files as { name: string; type: string }[];
      files[0]!.name = 'Zzz.ndjson.blocks';
      files[0]!.type = 'Zzz';
    });
    const e2 = await importInto(station, relabelled).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((e2 as ReservError).code).toBe('SNAPSHOT_CONTENT_INVALID');
    expect(statusOf(station).active).toBeNull();
  });
});

describe('S8: endless data', () => {
  it('rejects a file larger than the manifest says', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    writeFileSync(
      path.join(root, 's8-longer.rjsnap'),
      Buffer.concat([readFileSync(file), Buffer.alloc(4096, 0x41)]),
    );
    await expectRejected(station, path.join(root, 's8-longer.rjsnap'), 'SNAPSHOT_FILE_MISMATCH');
  });

  it('stops decompressing one byte past the size the signed manifest promised (decompression bomb)', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const bomb = resign(file, path.join(root, 's8-bomb.rjsnap'), (m) => {
      const files = m.files as { plainSize: number }[];
      const totals = m.totals as { plainBytes: number };
      totals.plainBytes -= files[0]!.plainSize - 10;
      files[0]!.plainSize = 10;
    });
    const rss = process.memoryUsage().rss;
    const error = await importInto(station, bomb).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_TOO_LARGE');
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    expect(statusOf(station).active).toBeNull();
  });

  it('refuses a snapshot larger than the station limits before reading its payload', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const rec = recorder();
    const error = await importInto(station, file, {
      failpoint: rec.failpoint,
      limits: { maxPayloadBytes: 1000, maxPlainBytes: 1e12, maxFiles: 100 },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_TOO_LARGE');
    expect(rec.reached).not.toContain('hash');
  });
});

describe('S9: wrong target', () => {
  it('rejects a snapshot for another station, one without our key, and a test snapshot on a production station', async () => {
    const station = freshStation({ name: 'boende-norr' });
    await expectRejected(
      station,
      await snapshotFor(station, 1, { targets: ['boende-soder'] }),
      'SNAPSHOT_NOT_FOR_STATION',
    );
    await expectRejected(
      station,
      await snapshotFor(station, 1, { recipients: [strangerStationKey()] }),
      'SNAPSHOT_NOT_FOR_STATION',
    );
    await expectRejected(
      station,
      await snapshotFor(station, 1, { environment: 'test' }),
      'SNAPSHOT_WRONG_ENVIRONMENT',
    );
    await expect(
      importInto(station, await snapshotFor(station, 1, { targets: ['boende-norr'] })),
    ).resolves.toMatchObject({ outcome: 'accepted' });
  });

  it('rejects a production snapshot on a test station', async () => {
    const station = freshStation({ environment: 'test' });
    await expectRejected(station, await snapshotFor(station, 1), 'SNAPSHOT_WRONG_ENVIRONMENT');
  });
});

describe('D6: clock jumps', () => {
  it('decides by sequence, not time: a clock set back accepts newer sequences and still refuses older ones', async () => {
    const station = freshStation();
    await importInto(station, await snapshotFor(station, 10), {
      clock: fixedClock('2026-11-27T08:00:00Z'),
    });
    await expect(
      importInto(station, await snapshotFor(station, 11), {
        clock: fixedClock('2025-01-01T00:00:00Z'),
      }),
    ).resolves.toMatchObject({ outcome: 'accepted' });
    const older = await snapshotFor(station, 9);
    const error = await importInto(station, older, {
      clock: fixedClock('2030-01-01T00:00:00Z'),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_ROLLBACK');
    expect(statusOf(station).active?.sequence).toBe(11);
  });
});

describe('encryption at rest', () => {
  it('keeps station databases unreadable without the station key', async () => {
    const station = freshStation();
    const result = await importInto(station, await snapshotFor(station, 1));
    const paths = stationPaths(station.dataDir);
    const copy = path.join(root, 'stolen.sqlite');
    copyFileSync(paths.snapshot(result.snapshotId), copy);
    const patientLine = readFileSync(path.join(source, 'Patient.ndjson'), 'utf8').split('\n')[0]!;
    const family = (JSON.parse(patientLine) as { name: { family: string }[] }).name[0]!.family;
    expect(readFileSync(copy).includes(Buffer.from(family))).toBe(false);
    const plain = new Database(copy, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM resource').get()).toThrow();
    plain.close();
    expect(() => openEncrypted(copy, 'ab'.repeat(32), { readonly: true })).toThrow(
      expect.objectContaining({ code: 'STORE_KEY_WRONG' }),
    );
    const key = readFileSync(paths.dbKey, 'utf8').trim();
    const opened = openEncrypted(copy, key, { readonly: true });
    // Temporary files are not encrypted by the cipher: they must stay in memory (2 = MEMORY).
    expect(opened.pragma('temp_store', { simple: true })).toBe(2);
    expect((opened.prepare('SELECT count(*) AS n FROM resource').get() as { n: number }).n).toBe(
      result.resources,
    );
    opened.close();
    const control = new Database(paths.control, { readonly: true });
    expect(() => control.prepare('SELECT * FROM station').get()).toThrow();
    control.close();
  });
});

describe('policy details', () => {
  it('refuses a new sequence that reuses the id of an accepted snapshot, and keeps serving', async () => {
    const station = freshStation();
    const first = await importInto(station, await snapshotFor(station, 1));
    const next = await snapshotFor(station, 2);
    const reused = resign(next, path.join(root, 'reused-id.rjsnap'), (m) => {
      m.snapshotId = first.snapshotId;
    });
    const error = await importInto(station, reused).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_FORK');
    expect(restartAndCheck(station.dataDir).activeSequence).toBe(1);
  });

  it('treats the bytes of an older, retained snapshot as a rollback, not as "unchanged"', async () => {
    const station = freshStation();
    const one = await snapshotFor(station, 1);
    await importInto(station, one);
    await importInto(station, await snapshotFor(station, 2));
    await expectRejected(station, one, 'SNAPSHOT_ROLLBACK');
  });

  it('refuses a manifest that is not in canonical form even when its signature matches it', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const bytes = readFileSync(file);
    const header = readHeader(file);
    const pretty = Buffer.from(
      JSON.stringify(JSON.parse(header.manifestBytes.toString()), null, 1),
    );
    const signature = sign(null, Buffer.concat([SIGNING_CONTEXT, pretty]), exporter.signKey);
    writeFileSync(
      path.join(root, 'pretty.rjsnap'),
      Buffer.concat([encodeHeader(pretty, signature), bytes.subarray(header.payloadStart)]),
    );
    await expectRejected(station, path.join(root, 'pretty.rjsnap'), 'SNAPSHOT_MALFORMED');
  });

  it('refuses a snapshot without payload files and one with an unknown encryption algorithm', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const empty = resign(file, path.join(root, 'empty.rjsnap'), (m) => {
      m.files = [];
      m.totals = { resources: 0, payloadBytes: 0, plainBytes: 0 };
    });
    writeFileSync(empty, readFileSync(empty).subarray(0, readHeader(empty).payloadStart));
    await expectRejected(station, empty, 'SNAPSHOT_MALFORMED');
    const rot13 = resign(file, path.join(root, 'rot13.rjsnap'), (m) => {
      (m.encryption as { alg: string }).alg = 'ROT13';
    });
    await expectRejected(station, rot13, 'SNAPSHOT_MALFORMED');
  });

  it('lets only one import run at a time, and a killed lock holder never blocks the next', async () => {
    const station = freshStation();
    const lock = path.join(station.dataDir, 'import.lock');
    // Another process holds the lock, exactly as an import does.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3-multiple-ciphers');
         const db = new D(process.argv[1]); db.exec('BEGIN EXCLUSIVE');
         process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        lock,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    const file = await snapshotFor(station, 1);
    const error = await importInto(station, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('IMPORT_IN_PROGRESS');
    expect(statusOf(station).active).toBeNull();
    // Killed outright: the operating system drops its lock, nobody has to clean up.
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('close', resolve));
    await expect(importInto(station, file)).resolves.toMatchObject({ outcome: 'accepted' });
  });

  it('lets exactly one of two imports started at the same instant run', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const outcomes = await Promise.allSettled([
      importInto(station, file),
      importInto(station, file),
    ]);
    const codes = outcomes.map((o) =>
      o.status === 'fulfilled' ? o.value.outcome : (o.reason as ReservError).code,
    );
    expect(codes.sort()).toEqual(['IMPORT_IN_PROGRESS', 'accepted']);
  });

  it('reports a snapshot file that cannot be read while staging as unreadable, not as bad content', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const copy = path.join(root, 'vanishing.rjsnap');
    copyFileSync(file, copy);
    // The file disappears after verification, before the staging worker opens it: an I/O
    // failure on the station's side, which must not send anyone to the exporter.
    const error = await importInto(station, copy, {
      failpoint: (name) => {
        if (name === 'stage') rmSync(copy);
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ReservError).code).toBe('SNAPSHOT_UNREADABLE');
    expect((error as ReservError).details.join(' ')).toContain('ENOENT');
    expect(statusOf(station).active).toBeNull();
    expect(readdirSync(stationPaths(station.dataDir).snapshotsDir)).toEqual([]);
  });

  it('replaces the plain-text lock file older versions left behind', async () => {
    const station = freshStation();
    writeFileSync(path.join(station.dataDir, 'import.lock'), '999999999');
    await expect(importInto(station, await snapshotFor(station, 1))).resolves.toMatchObject({
      outcome: 'accepted',
    });
  });

  it('clears lastFailure once a snapshot is accepted again', async () => {
    const station = freshStation();
    await expectRejected(
      station,
      await snapshotFor(station, 1, { environment: 'test' }),
      'SNAPSHOT_WRONG_ENVIRONMENT',
    );
    await importInto(station, await snapshotFor(station, 1));
    expect(statusOf(station).lastFailure).toBeNull();
  });
});

describe('trust list input', () => {
  it('refuses a private key where the exporter public key belongs, so it is never stored', () => {
    const privatePem = readFileSync(path.join(exporter.dir, 'exporter.key'), 'utf8');
    expect(() =>
      makeStation(path.join(root, 'private-trust'), {
        ...exporter,
        pubFile: path.join(exporter.dir, 'exporter.key'),
      }),
    ).toThrow(expect.objectContaining({ code: 'KEY_UNREADABLE' }));
    const station = freshStation();
    const s = openStation(station.dataDir);
    try {
      expect(() => addTrustedKey(s.control, privatePem, new Date())).toThrow(
        expect.objectContaining({ code: 'KEY_UNREADABLE' }),
      );
      const stored = s.control
        .prepare('SELECT public_pem FROM trusted_key')
        .pluck()
        .all() as string[];
      for (const pem of stored) expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    } finally {
      s.close();
    }
  });

  it('refuses manifests with impossible dates', async () => {
    const station = freshStation();
    const file = await snapshotFor(station, 1);
    const bad = resign(file, path.join(root, 'feb30.rjsnap'), (m) => {
      m.transactionTime = '2026-02-30T05:00:00.000Z';
    });
    await expectRejected(station, bad, 'SNAPSHOT_MALFORMED');
  });
});
