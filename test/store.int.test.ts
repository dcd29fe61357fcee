import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/log.ts';
import { DEFAULT_AS_OF, generate } from '../src/generate/generate.ts';
import {
  createForBulkLoad,
  migrate,
  openEncrypted,
  openReadOnly,
  type Db,
} from '../src/store/db.ts';
import { loadBulkExport } from '../src/store/load-bulk.ts';
import { CONTROL_MIGRATIONS, LATEST_VERSION } from '../src/store/migrations/index.ts';
import {
  getPatient,
  getResource,
  listResidents,
  listUnits,
  searchPatients,
  snapshotInfo,
} from '../src/store/queries.ts';
import { writeExport } from './helpers/export-fixture.ts';
import { tempDir } from './helpers/tmp.ts';

const root = tempDir('store');
const now = new Date(DEFAULT_AS_OF);
const source = path.join(root, 'export');
const dbFile = path.join(root, 'station.sqlite');
let db: Db;

beforeAll(async () => {
  generate({ people: 300, seed: 'store', outDir: source });
  await loadBulkExport({ sourceDir: source, dbFile, now, log: silentLogger });
  db = openReadOnly(dbFile);
  return () => db.close();
});

describe('loading an export', () => {
  it('stores every resource with its raw text and the export time', () => {
    const manifest = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8')) as {
      output: { count: number }[];
    };
    const expected = manifest.output.reduce((n, o) => n + o.count, 0);
    const { n } = db.prepare('SELECT count(*) AS n FROM resource').get() as { n: number };
    expect(n).toBe(expected);
    expect(snapshotInfo(db)).toMatchObject({
      transactionTime: DEFAULT_AS_OF,
      resourceCount: expected,
    });
  });

  it('keeps decimals exactly as written (0.010 stays 0.010)', () => {
    const row = db
      .prepare(`SELECT raw FROM resource WHERE type = 'MedicationRequest' AND raw LIKE '%0.010,%'`)
      .get() as { raw: string } | undefined;
    expect(row?.raw).toContain('"value":0.010,');
  });

  it('indexes residents by unit with rooms for nursing-home residents', () => {
    const units = listUnits(db);
    expect(units.length).toBeGreaterThanOrEqual(4);
    const ward = units.find((u) => u.kind === 'ward')!;
    const residents = listResidents(db, ward.id);
    expect(residents.length).toBe(ward.residents);
    expect(residents.every((r) => /^Rum \d+$/.test(r.room ?? ''))).toBe(true);
  });

  it('reaches a patient-linked resource through the index', () => {
    const { id } = db.prepare(`SELECT id FROM patient LIMIT 1`).get() as { id: string };
    const { n } = db
      .prepare(`SELECT count(*) AS n FROM resource WHERE patient_id = ? AND type <> 'Patient'`)
      .get(id) as { n: number };
    expect(n).toBeGreaterThan(3);
    expect(getResource(db, 'Patient', id)?.raw).toContain(id);
  });
});

describe('searching residents', () => {
  it('finds names case- and diacritics-insensitively, also written with combining characters', () => {
    const hits = searchPatients(db, 'lovgren', now);
    expect(hits.some((h) => h.nameDisplay.normalize('NFC').includes('Lövgren'))).toBe(true);
    const asa = db
      .prepare(`SELECT name_display AS n FROM patient WHERE given LIKE '%sa%'`)
      .all() as { n: string }[];
    const withRing = asa.filter((r) => r.n.normalize('NFC').startsWith('Åsa'));
    expect(withRing.length).toBeGreaterThan(0);
    const found = searchPatients(db, 'asa', now).map((h) => h.nameDisplay);
    for (const r of withRing) expect(found).toContain(r.n);
  });

  it('finds a person by personnummer in any common written form', () => {
    const p = db
      .prepare(
        `SELECT id, ident_norm AS norm FROM patient WHERE ident_kind = 'personnummer' AND ident_valid = 1 LIMIT 1`,
      )
      .get() as { id: string; norm: string };
    const forms = [
      p.norm,
      `${p.norm.slice(0, 8)}-${p.norm.slice(8)}`,
      `${p.norm.slice(2, 8)}-${p.norm.slice(8)}`,
      p.norm.slice(2),
    ];
    for (const f of forms)
      expect(
        searchPatients(db, f, now).map((h) => h.id),
        f,
      ).toContain(p.id);
  });

  it('finds by room and treats search syntax in the query as plain text', () => {
    expect(searchPatients(db, 'rum 101', now).length).toBeGreaterThan(0);
    expect(searchPatients(db, '"; DROP TABLE patient; --', now)).toEqual([]);
    expect(searchPatients(db, 'a* OR b', now)).toEqual([]);
    expect(searchPatients(db, '   ', now)).toEqual([]);
  });
});

describe('odd but authentic data', () => {
  it('stores a bad personnummer checksum and an unknown resource type, and flags the checksum', async () => {
    const dir = writeExport(path.join(root, 'odd'), {
      Patient: [
        JSON.stringify({
          resourceType: 'Patient',
          id: 'p1',
          identifier: [
            { system: 'http://electronichealth.se/identifier/personnummer', value: '194906062214' },
          ],
          name: [{ family: 'Öberg', given: ['Märta'] }],
        }),
      ],
      FamilyMemberHistory: [
        JSON.stringify({
          resourceType: 'FamilyMemberHistory',
          id: 'f1',
          patient: { reference: 'Patient/p1' },
        }),
      ],
    });
    const file = path.join(root, 'odd.sqlite');
    await loadBulkExport({ sourceDir: dir, dbFile: file, now, log: silentLogger });
    const odd = openReadOnly(file);
    try {
      expect(getPatient(odd, 'p1')).toMatchObject({ identValid: 0, identNorm: '194906062214' });
      expect(odd.prepare(`SELECT code FROM finding WHERE id = 'p1'`).all()).toEqual([
        { code: 'IDENTITY_CHECKSUM' },
      ]);
      expect(getResource(odd, 'FamilyMemberHistory', 'f1')).toBeDefined();
    } finally {
      odd.close();
    }
  });
});

describe('all or nothing', () => {
  it('leaves the previous database untouched and no half-built file when an export is broken', async () => {
    const target = path.join(root, 'keep.sqlite');
    const good = writeExport(path.join(root, 'good'), {
      Patient: [JSON.stringify({ resourceType: 'Patient', id: 'a', name: [{ family: 'Åberg' }] })],
    });
    await loadBulkExport({ sourceDir: good, dbFile: target, now, log: silentLogger });
    const before = readFileSync(target);
    const cases: Record<string, string[]> = {
      'bad json': ['{"resourceType":"Patient","id":"b"', '{'],
      'wrong type': [JSON.stringify({ resourceType: 'Observation', id: 'o' })],
      'bad id': [JSON.stringify({ resourceType: 'Patient', id: 'has space' })],
    };
    for (const [name, patientLines] of Object.entries(cases)) {
      const dir = writeExport(path.join(root, name.replace(' ', '-')), { Patient: patientLines });
      await expect(
        loadBulkExport({ sourceDir: dir, dbFile: target, now, log: silentLogger }),
        name,
      ).rejects.toMatchObject({
        code: 'SOURCE_FILE_INVALID',
      });
      expect(readFileSync(target).equals(before), name).toBe(true);
      expect(existsSync(`${target}.building`), name).toBe(false);
    }
  });

  it('rejects a manifest whose counts do not match its files, and one that points outside the folder', async () => {
    const dir = writeExport(path.join(root, 'count'), {
      Patient: [JSON.stringify({ resourceType: 'Patient', id: 'a' })],
    });
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      output: { count: number; url: string }[];
    };
    m.output[0]!.count = 2;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(
      loadBulkExport({
        sourceDir: dir,
        dbFile: path.join(root, 'c.sqlite'),
        now,
        log: silentLogger,
      }),
    ).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
    });
    m.output[0]!.count = 1;
    m.output[0]!.url = '../../etc/passwd';
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(
      loadBulkExport({
        sourceDir: dir,
        dbFile: path.join(root, 'c.sqlite'),
        now,
        log: silentLogger,
      }),
    ).rejects.toMatchObject({
      code: 'SOURCE_MANIFEST_INVALID',
    });
    await expect(
      loadBulkExport({
        sourceDir: path.join(root, 'nothing'),
        dbFile: path.join(root, 'c.sqlite'),
        now,
        log: silentLogger,
      }),
    ).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
    });
  });
});

describe('migrations', () => {
  it('produce the reviewed schema', async () => {
    const file = path.join(root, 'schema.sqlite');
    const fresh = createForBulkLoad(file);
    const schema = (
      fresh
        .prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`)
        .all() as { sql: string }[]
    )
      .map((r) => r.sql + ';')
      .join('\n');
    expect(fresh.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    fresh.close();
    await expect(schema + '\n').toMatchFileSnapshot('./__snapshots__/schema.sql');
  });

  it('produce the reviewed schema of the control database, migrating 0001 forward', async () => {
    const db = openEncrypted(path.join(root, 'control-schema.sqlite'), 'ab'.repeat(32), {
      create: true,
    });
    migrate(db, CONTROL_MIGRATIONS.slice(0, 1));
    migrate(db, CONTROL_MIGRATIONS);
    const schema = (
      db
        .prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`)
        .all() as { sql: string }[]
    )
      .map((r) => r.sql + ';')
      .join('\n');
    expect(db.pragma('user_version', { simple: true })).toBe(CONTROL_MIGRATIONS.length);
    db.close();
    await expect(schema + '\n').toMatchFileSnapshot('./__snapshots__/control-schema.sql');
  });

  it('refuse a database written by a newer version', () => {
    const file = path.join(root, 'newer.sqlite');
    const newer = createForBulkLoad(file);
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    newer.close();
    expect(() => openReadOnly(file)).toThrow(
      expect.objectContaining({ code: 'STORE_SCHEMA_NEWER' }),
    );
  });
});

describe('encryption at rest', () => {
  const key = 'c3'.repeat(32);

  it('writes new files with AEGIS-256: unreadable without the key, a changed page is an error', () => {
    const file = path.join(root, 'aegis.sqlite');
    const enc = openEncrypted(file, key, { create: true });
    enc.exec(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('${'Åsa Öberg '.repeat(500)}')`);
    expect(enc.pragma('cipher', { simple: true })).toBe('aegis');
    enc.close();
    expect(readFileSync(file).includes(Buffer.from('Öberg'))).toBe(false);
    expect(() => openEncrypted(file, 'd4'.repeat(32))).toThrow(
      expect.objectContaining({ code: 'STORE_KEY_WRONG' }),
    );
    // Flip one byte in the middle of page 2: the page's tag no longer matches.
    const bytes = readFileSync(file);
    bytes[4096 + 2000]! ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = openEncrypted(file, key, { readonly: true });
    expect(() => damaged.prepare('SELECT v FROM t').all()).toThrow();
    damaged.close();
  });

  it('still opens a file written with the SQLCipher 4 scheme of earlier versions, and keeps writing it so', () => {
    const file = path.join(root, 'sqlcipher4.sqlite');
    // Written the way versions before AEGIS did, with the driver directly.
    const old = new Database(file);
    old.pragma("cipher = 'sqlcipher'");
    old.pragma('legacy = 4');
    old.pragma(`key = "x'${key}'"`);
    old.exec(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('earlier')`);
    old.close();
    const opened = openEncrypted(file, key);
    expect(opened.prepare('SELECT v FROM t').pluck().get()).toBe('earlier');
    expect(opened.pragma('cipher', { simple: true })).toBe('sqlcipher');
    opened.exec(`INSERT INTO t VALUES ('later')`);
    opened.close();
    const again = openEncrypted(file, key, { readonly: true });
    expect(again.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([
      'earlier',
      'later',
    ]);
    again.close();
    expect(() => openEncrypted(file, 'd4'.repeat(32))).toThrow(
      expect.objectContaining({ code: 'STORE_KEY_WRONG' }),
    );
  });
});
