/**
 * L4: randomised tampering with the audit log, 100 % detected (reliability I6).
 *
 * Each trial changes the real encrypted database inside a SAVEPOINT (the append-only triggers are
 * dropped there first, as an attacker with the database key would), runs the verifier on the same
 * connection, and rolls back, so a thousand trials take a second or two. A few more are done the
 * slow way: a copy of the file changed through its own connection, then verified after a fresh
 * open.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS } from '../../src/audit/chain.ts';
import type { AuditRow, ChainHead } from '../../src/audit/entry.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { openEncrypted, type Db } from '../../src/store/db.ts';
import { auditFixture, randomEvent, seeded } from './fixture.ts';

const N = 150;
const TRIALS = 1600;
const SEED = 20261127;

const COLUMNS = [
  'seq',
  'at',
  'user',
  'role',
  'unit',
  'patient',
  'patient_ident',
  'action',
  'resources',
  'snapshot_id',
  'outcome',
  'reason',
  'flags',
  'session',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];
type Column = (typeof COLUMNS)[number];
const NOT_NULL = new Set<Column>(['at', 'action', 'outcome', 'prev_hash', 'hash']);

type Mutation = 'null' | 'flip' | 'append' | 'replace' | 'case';

type Tamper =
  | { kind: 'modify'; seq: number; column: Column; mutation: Mutation; at: number; text: string }
  | { kind: 'delete'; seq: number }
  | { kind: 'insert'; seq: number; template: number; rehash: boolean }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; count: number }
  | { kind: 'reseal'; seq: number; column: 'user' | 'patient' | 'reason'; text: string }
  | { kind: 'rewrite'; seq: number; text: string };

const fx = auditFixture('audit-tamper');
let rows: AuditRow[] = [];
let anchor: ChainHead;
let db: Db;

beforeAll(() => {
  const log = fx.open();
  const rand = seeded(SEED);
  let written = 0;
  while (written < N) {
    const size = Math.min(1 + Math.floor(rand() * 4), N - written);
    log.append(Array.from({ length: size }, () => randomEvent(rand)));
    written += size;
    fx.clock.tick(1 + Math.floor(rand() * 90_000));
  }
  log.close();
  anchor = fx.anchor.read()!;
  db = fx.raw();
  rows = db.prepare('SELECT * FROM audit_entry ORDER BY seq').all() as AuditRow[];
});
afterAll(() => db?.close());

function mutate(value: string | number | null, t: Extract<Tamper, { kind: 'modify' }>) {
  if (value === null) return t.text;
  const s = String(value);
  switch (t.mutation) {
    case 'null':
      return NOT_NULL.has(t.column) ? s + t.text : null;
    case 'flip': {
      if (s.length === 0) return 'x';
      const i = t.at % s.length;
      const ch = s[i]!;
      // Stay plausible: a hex digit becomes another hex digit, a digit another digit.
      const next = /[0-9a-f]/.test(ch)
        ? '0123456789abcdef'[('0123456789abcdef'.indexOf(ch) + 1) % 16]!
        : String.fromCharCode(ch.charCodeAt(0) + 1);
      return s.slice(0, i) + next + s.slice(i + 1);
    }
    case 'append':
      return s + ' ';
    case 'case':
      return s.toUpperCase() === s ? s.toLowerCase() + 'x' : s.toUpperCase();
    default:
      return t.text === s ? t.text + 'x' : t.text;
  }
}

const hashAt = (seq: number) => (seq === 0 ? GENESIS.hash : rows[seq - 1]!.hash);
const randomHex = (text: string) =>
  Array.from(
    { length: 64 },
    (_, i) => '0123456789abcdef'[(text.charCodeAt(i % text.length) + i) % 16],
  ).join('');

/** Apply a tamper; return the last position it touched (the verifier must report at or before). */
function apply(target: Db, t: Tamper, n: number): number {
  const run = (sql: string, ...params: unknown[]) => target.prepare(sql).run(...params);
  switch (t.kind) {
    case 'modify': {
      if (t.column === 'seq') {
        // Move the entry out of its place: before genesis, or past the end.
        const to = t.at % 2 === 0 ? -1 - (t.at % 3) : n + 1 + (t.at % 20);
        run('UPDATE audit_entry SET seq = ? WHERE seq = ?', to, t.seq);
        return t.seq;
      }
      const before = target
        .prepare(`SELECT ${t.column} FROM audit_entry WHERE seq = ?`)
        .pluck()
        .get(t.seq) as string | null;
      const after = mutate(before, t);
      if (after === before) throw new Error(`mutation left ${t.column} unchanged`);
      run(`UPDATE audit_entry SET ${t.column} = ? WHERE seq = ?`, after, t.seq);
      return t.seq;
    }
    case 'delete':
      run('DELETE FROM audit_entry WHERE seq = ?', t.seq);
      return t.seq;
    case 'insert': {
      // Make room at t.seq (two steps, so the primary key never collides), then insert a copy of
      // another entry that links to its new predecessor.
      run('UPDATE audit_entry SET seq = -seq WHERE seq >= ?', t.seq);
      run('UPDATE audit_entry SET seq = 1 - seq WHERE seq < 0');
      const template = rows[t.template - 1]!;
      const fake = { ...template, seq: t.seq, prev_hash: hashAt(t.seq - 1) };
      const hash = t.rehash ? entryHash(fake) : randomHex(template.hash);
      run(
        `INSERT INTO audit_entry (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')})`,
        { ...fake, hash },
      );
      // A correctly hashed fake shows at the entry after it, whose link no longer fits.
      return t.rehash ? t.seq + 1 : t.seq;
    }
    case 'swap':
      run('UPDATE audit_entry SET seq = -1000 WHERE seq = ?', t.a);
      run('UPDATE audit_entry SET seq = ? WHERE seq = ?', t.a, t.b);
      run('UPDATE audit_entry SET seq = ? WHERE seq = -1000', t.b);
      return t.a;
    case 'truncate':
      run('DELETE FROM audit_entry WHERE seq > ?', n - t.count);
      return n - t.count + 1;
    case 'reseal': {
      // Edit one entry and recompute its own hash: the next entry's link no longer fits (or, for
      // the last entry, the anchor).
      run(`UPDATE audit_entry SET ${t.column} = ? WHERE seq = ?`, t.text + '\u200b', t.seq);
      const row = target.prepare('SELECT * FROM audit_entry WHERE seq = ?').get(t.seq) as AuditRow;
      run('UPDATE audit_entry SET hash = ? WHERE seq = ?', entryHash(row), t.seq);
      return t.seq === n ? n : t.seq + 1;
    }
    case 'rewrite': {
      // An attacker with the key edits an entry and recomputes every later hash: only the anchor
      // can tell, at its own position.
      run('UPDATE audit_entry SET reason = ? WHERE seq = ?', t.text, t.seq);
      let prev = hashAt(t.seq - 1);
      const select = target.prepare('SELECT * FROM audit_entry WHERE seq = ?');
      for (let s = t.seq; s <= n; s++) {
        const row = { ...(select.get(s) as AuditRow), prev_hash: prev };
        const hash = entryHash(row);
        run('UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?', prev, hash, s);
        prev = hash;
      }
      return n;
    }
  }
}

/** The lowest position a tamper touches: a checkpoint must lie before it. */
function firstTouched(t: Tamper, n: number): number {
  switch (t.kind) {
    case 'swap':
      return t.a;
    case 'truncate':
      return n - t.count + 1;
    default:
      return t.seq;
  }
}

const seqArb = fc.integer({ min: 1, max: N });
const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    kind: fc.constant('modify' as const),
    seq: seqArb,
    column: fc.constantFrom(...COLUMNS),
    mutation: fc.constantFrom<Mutation>('null', 'flip', 'append', 'replace', 'case'),
    at: fc.nat({ max: 10_000 }),
    text: fc.string({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), seq: seqArb }),
  fc
    .record({
      kind: fc.constant('insert' as const),
      seq: fc.integer({ min: 1, max: N + 1 }),
      template: seqArb,
      rehash: fc.boolean(),
    })
    .filter((t) => !(t.rehash && t.seq === N + 1)),
  fc
    .tuple(seqArb, seqArb)
    .filter(([a, b]) => a !== b)
    .map(([x, y]) => ({ kind: 'swap' as const, a: Math.min(x, y), b: Math.max(x, y) })),
  fc.record({ kind: fc.constant('truncate' as const), count: fc.integer({ min: 1, max: N }) }),
  fc.record({
    kind: fc.constant('reseal' as const),
    seq: seqArb,
    column: fc.constantFrom('user' as const, 'patient' as const, 'reason' as const),
    text: fc.string({ maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant('rewrite' as const),
    seq: seqArb,
    text: fc.string({ minLength: 1, maxLength: 12 }),
  }),
);

describe('randomised tampering (L4)', () => {
  it(`detects ${TRIALS} tamperings of the real database, each at or before its position`, () => {
    expect(verifyAuditChain(db, anchor)).toMatchObject({ ok: true, entries: N });
    const kinds = new Map<string, number>();
    let fromCheckpoint = 0;
    fc.assert(
      fc.property(tamperArb, fc.option(fc.nat(), { nil: undefined }), (t, cp) => {
        kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
        // Sometimes start from a trusted checkpoint taken before the tampered part.
        const from =
          cp === undefined
            ? undefined
            : ((c) => ({ seq: c, hash: hashAt(c) }))(cp % firstTouched(t, N));
        if (from !== undefined) fromCheckpoint++;
        db.exec('SAVEPOINT tamper');
        try {
          db.exec('DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;');
          const position = apply(db, t, N);
          const result = verifyAuditChain(db, anchor, { from });
          expect(result.ok, JSON.stringify(t)).toBe(false);
          if (!result.ok) {
            expect(result.firstBadSeq).toBeGreaterThanOrEqual(1);
            expect(result.firstBadSeq, result.problem).toBeLessThanOrEqual(position);
            expect(result.problem).toMatch(/entry|log|chain/);
          }
        } finally {
          db.exec('ROLLBACK TO tamper');
          db.exec('RELEASE tamper');
        }
      }),
      { seed: SEED, numRuns: TRIALS },
    );
    expect([...kinds.keys()].sort()).toEqual(
      ['delete', 'insert', 'modify', 'reseal', 'rewrite', 'swap', 'truncate'].sort(),
    );
    for (const count of kinds.values()) expect(count).toBeGreaterThanOrEqual(100);
    expect(fromCheckpoint).toBeGreaterThanOrEqual(100);
    // Every change was rolled back: the real log is whole again.
    expect(verifyAuditChain(db, anchor)).toMatchObject({ ok: true, entries: N, head: anchor });
    expect(
      db.prepare('SELECT count(*) FROM sqlite_master WHERE type = ?').pluck().get('trigger'),
    ).toBe(2);
  });

  it('finds the cut without the anchor only when the anchor is given (why the anchor exists)', () => {
    db.exec('SAVEPOINT cut');
    try {
      db.exec('DROP TRIGGER audit_entry_no_delete');
      db.prepare('DELETE FROM audit_entry WHERE seq > ?').run(N - 3);
      expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: N - 3 });
      expect(verifyAuditChain(db, anchor)).toMatchObject({ ok: false, firstBadSeq: N - 2 });
    } finally {
      db.exec('ROLLBACK TO cut');
      db.exec('RELEASE cut');
    }
  });

  it('detects a change to the checkpoint entry itself when verifying from that checkpoint', () => {
    const checkpoint = { seq: 40, hash: hashAt(40) };
    expect(verifyAuditChain(db, anchor, { from: checkpoint })).toMatchObject({
      ok: true,
      entries: N - 40,
    });
    db.exec('SAVEPOINT cp');
    try {
      db.exec('DROP TRIGGER audit_entry_no_update');
      db.prepare(`UPDATE audit_entry SET hash = ? WHERE seq = 40`).run(randomHex('x'));
      expect(verifyAuditChain(db, anchor, { from: checkpoint })).toMatchObject({
        ok: false,
        firstBadSeq: 40,
      });
    } finally {
      db.exec('ROLLBACK TO cp');
      db.exec('RELEASE cp');
    }
  });
});

describe('tampering through a separate connection', () => {
  const cases: [string, Tamper][] = [
    [
      'a changed user',
      { kind: 'modify', seq: 17, column: 'user', mutation: 'replace', at: 0, text: 'mallory' },
    ],
    [
      'a removed flag',
      { kind: 'modify', seq: 23, column: 'flags', mutation: 'null', at: 0, text: '' },
    ],
    ['a deleted entry', { kind: 'delete', seq: 60 }],
    ['an inserted entry', { kind: 'insert', seq: 90, template: 3, rehash: false }],
    ['two entries swapped', { kind: 'swap', a: 5, b: 6 }],
    ['the last entries cut off', { kind: 'truncate', count: 4 }],
    ['a resealed entry', { kind: 'reseal', seq: 30, column: 'patient', text: 'pat-9' }],
    ['a rewritten tail', { kind: 'rewrite', seq: 100, text: 'nothing to see' }],
  ];

  it.each(cases)('detects %s after a fresh open', (name, t) => {
    const copy = path.join(fx.dir, `copy-${name.replace(/\W+/g, '-')}.sqlite`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(fx.file, copy);
    const attacker = openEncrypted(copy, fx.dbKey);
    let position: number;
    try {
      attacker.exec('DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;');
      position = attacker.transaction(() => apply(attacker, t, N))();
    } finally {
      attacker.close();
    }
    const reader = openEncrypted(copy, fx.dbKey);
    try {
      const result = verifyAuditChain(reader, anchor);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.firstBadSeq).toBeLessThanOrEqual(position);
    } finally {
      reader.close();
    }
  });
});
