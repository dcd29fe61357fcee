import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryAnchor } from '../../src/audit/anchor.ts';
import { GENESIS } from '../../src/audit/chain.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import type { AuditEventInput } from '../../src/audit/vocabulary.ts';
import { ReservError } from '../../src/core/errors.ts';
import { auditFixture, randomEvent, seeded, T0 } from './fixture.ts';

const view: AuditEventInput = {
  action: 'view',
  outcome: 'success',
  user: 'anna.nurse',
  role: 'nurse',
  unit: 'unit-solgarden',
  patient: 'pat-1',
  patientIdent: '191212121212',
  resources: ['Patient/pat-1', 'AllergyIntolerance/a-1'],
  snapshotId: 'snap-0007',
  session: 's-1',
};

function thrown(fn: () => unknown): ReservError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReservError) return error;
    throw error;
  }
  throw new Error('expected a ReservError, nothing was thrown');
}

describe('appending', () => {
  const fx = auditFixture('audit-append');
  const log = fx.open();
  afterAll(() => log.close());

  it('chains entries 1, 2, 3… from genesis, stamps the clock and verifies', () => {
    const [first] = log.append([view]);
    expect(first).toMatchObject({
      seq: 1,
      at: T0,
      user: 'anna.nurse',
      patient: 'pat-1',
      patientIdent: '191212121212',
      resources: ['Patient/pat-1', 'AllergyIntolerance/a-1'],
      flags: null,
      prevHash: GENESIS.hash,
    });
    fx.clock.tick(1500);
    const more = log.append([
      { ...view, patient: 'pat-2', patientIdent: '194107086995' },
      { action: 'sign-out', outcome: 'success', user: 'anna.nurse' },
    ]);
    expect(more.map((e) => e.seq)).toEqual([2, 3]);
    expect(more[0]!.prevHash).toBe(first!.hash);
    expect(more[1]!.prevHash).toBe(more[0]!.hash);
    expect(more[0]!.at).toBe('2026-11-27T06:00:01.500Z');
    expect(log.head()).toEqual({ seq: 3, hash: more[1]!.hash });
    expect(log.verify()).toEqual({
      ok: true,
      entries: 3,
      head: { seq: 3, hash: more[1]!.hash },
      beyondAnchor: 0,
    });
  });

  it('writes the anchor in the control database after each append', () => {
    const [entry] = log.append([view]);
    const row = fx.control.prepare('SELECT seq, hash FROM audit_anchor').get();
    expect(row).toEqual({ seq: entry!.seq, hash: entry!.hash });
  });

  it('flags emergency and break-glass actions itself, in vocabulary order', () => {
    const [emergency, glass, both] = log.append([
      { action: 'emergency', outcome: 'success', user: 'cecilia.oncall', reason: 'utfärdad' },
      { ...view, action: 'break-glass', reason: 'akut' },
      { ...view, flags: ['break-glass', 'emergency', 'break-glass'] },
    ]);
    expect(emergency!.flags).toEqual(['emergency']);
    expect(glass!.flags).toEqual(['break-glass']);
    expect(both!.flags).toEqual(['emergency', 'break-glass']);
  });

  it('refuses an event outside the vocabulary as a programming error and writes none of the batch', () => {
    const before = log.head();
    const error = thrown(() =>
      log.append([view, { ...view, action: 'peek' } as unknown as AuditEventInput]),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toEqual(['audit event 2: unknown action "peek"']);
    const many = thrown(() =>
      log.append([
        {
          ...view,
          outcome: 'maybe',
          patient: 'no spaces allowed',
          resources: ['pat-1'],
          flags: ['vip'],
          patientId: 'x',
        } as unknown as AuditEventInput,
      ]),
    );
    expect(many.details).toHaveLength(5);
    expect(log.head()).toEqual(before);
  });

  it('rolls the whole batch back when the store fails half way (AUDIT_UNAVAILABLE)', () => {
    let inserts = 0;
    const failing = fx.open({
      failpoint: (name) => {
        if (name === 'audit.insert' && ++inserts === 2)
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      },
    });
    try {
      const before = failing.head();
      const error = thrown(() => failing.append([view, view, view]));
      expect(error.code).toBe('AUDIT_UNAVAILABLE');
      expect((error.cause as { code?: string }).code).toBe('SQLITE_FULL');
      expect(failing.head()).toEqual(before);
      expect(fx.anchor.read()).toEqual(before);
      expect(failing.verify().ok).toBe(true);
    } finally {
      failing.close();
    }
  });

  it('throws AUDIT_UNAVAILABLE on a closed handle', () => {
    const closed = fx.open();
    closed.close();
    expect(thrown(() => closed.append([view])).code).toBe('AUDIT_UNAVAILABLE');
    expect(thrown(() => closed.head()).code).toBe('AUDIT_UNAVAILABLE');
  });

  it('returns nothing and writes nothing for an empty batch', () => {
    const before = log.head();
    expect(log.append([])).toEqual([]);
    expect(log.head()).toEqual(before);
  });
});

describe('the append-only triggers', () => {
  const fx = auditFixture('audit-triggers');

  it('refuse UPDATE and DELETE of entries', () => {
    const log = fx.open();
    log.append([view, view]);
    log.close();
    const db = fx.raw();
    try {
      expect(() =>
        db.prepare(`UPDATE audit_entry SET user = 'someone' WHERE seq = 1`).run(),
      ).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_entry WHERE seq = 2').run()).toThrow(
        /append-only/,
      );
      expect(() => db.prepare('DELETE FROM audit_entry').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT count(*) FROM audit_entry').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  it('produce the reviewed schema', async () => {
    const db = fx.raw();
    const schema = (
      db
        .prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`)
        .pluck()
        .all() as string[]
    )
      .map((sql) => sql + ';')
      .join('\n');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await expect(schema + '\n').toMatchFileSnapshot('./__snapshots__/audit-schema.sql');
  });
});

describe('a locked audit store (D3)', () => {
  const fx = auditFixture('audit-locked');

  it('refuses within the busy timeout and writes nothing while another connection holds the lock', () => {
    const log = fx.open();
    const other = fx.raw();
    try {
      log.append([view]);
      const before = log.head();
      other.exec('BEGIN EXCLUSIVE');
      const started = performance.now();
      const error = thrown(() => log.append([view, view]));
      const waited = performance.now() - started;
      expect(error.code).toBe('AUDIT_UNAVAILABLE');
      expect(error.httpStatus).toBe(503);
      expect((error.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
      expect(waited).toBeGreaterThanOrEqual(1500);
      expect(waited).toBeLessThan(4000);
      other.exec('ROLLBACK');
      expect(log.head()).toEqual(before);
      expect(fx.anchor.read()).toEqual(before);
      // Once the lock is gone, the log works again.
      expect(log.append([view])[0]!.seq).toBe(before.seq + 1);
      expect(log.verify().ok).toBe(true);
    } finally {
      other.close();
      log.close();
    }
  });
});

describe('the anchor', () => {
  const fx = auditFixture('audit-anchor');

  it('may lag one append behind after a crash, and catches up with the next append', () => {
    let failWrite = true;
    const problems: string[] = [];
    const flaky = {
      read: () => fx.anchor.read(),
      write: (head: { seq: number; hash: string }) => {
        if (failWrite) throw new Error('control database is locked');
        fx.anchor.write(head);
      },
    };
    const log = fx.open({ anchor: flaky, onAnchorProblem: (p) => problems.push(p) });
    try {
      failWrite = false;
      log.append([view]);
      failWrite = true;
      const [lagging] = log.append([view, view]);
      expect(problems).toEqual(['the audit anchor cannot be written']);
      expect(fx.anchor.read()!.seq).toBe(1);
      const db = fx.raw();
      expect(verifyAuditChain(db, fx.anchor.read())).toMatchObject({
        ok: true,
        entries: 3,
        beyondAnchor: 2,
      });
      db.close();
      failWrite = false;
      const [next] = log.append([view]);
      expect(fx.anchor.read()).toEqual({ seq: next!.seq, hash: next!.hash });
      expect(lagging!.seq).toBe(2);
    } finally {
      log.close();
    }
  });

  it('is never overwritten when the log no longer matches it (a replaced log stays detectable)', () => {
    const log = fx.open();
    log.append([view, view, view]);
    log.close();
    const anchored = fx.anchor.read()!;
    rmSync(fx.file);
    rmSync(fx.file + '-wal', { force: true });
    rmSync(fx.file + '-shm', { force: true });
    const problems: string[] = [];
    const fresh = fx.open({ onAnchorProblem: (p) => problems.push(p) });
    try {
      const [entry] = fresh.append([view]);
      expect(entry!.seq).toBe(1);
      expect(problems[0]).toMatch(/does not match the log/);
      expect(fx.anchor.read()).toEqual(anchored);
      const result = fresh.verify();
      expect(result).toMatchObject({ ok: false, firstBadSeq: 2 });
    } finally {
      fresh.close();
    }
  });
});

describe('the reviewer query', () => {
  const fx = auditFixture('audit-query');
  const log = fx.open();
  afterAll(() => log.close());
  const rand = seeded(7);
  for (let i = 0; i < 60; i++) {
    fx.clock.set(new Date(Date.parse(T0) + i * 60_000).toISOString());
    log.append([randomEvent(rand)]);
  }

  it('lists emergency and break-glass entries first, then the newest first', () => {
    const all = log.query({ limit: 1000 });
    expect(all).toHaveLength(60);
    const flagged = all.filter((e) => e.flags !== null);
    expect(flagged.length).toBeGreaterThan(0);
    expect(all.slice(0, flagged.length)).toEqual(flagged);
    const isDescending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! > x);
    expect(isDescending(flagged.map((e) => e.seq))).toBe(true);
    expect(isDescending(all.slice(flagged.length).map((e) => e.seq))).toBe(true);
  });

  it('filters by user, patient, unit, actions and time, and limits', () => {
    const anna = log.query({ user: 'anna.nurse' });
    expect(anna.length).toBeGreaterThan(0);
    expect(anna.every((e) => e.user === 'anna.nurse')).toBe(true);
    expect(log.query({ patient: 'pat-2' }).every((e) => e.patient === 'pat-2')).toBe(true);
    expect(log.query({ unit: 'unit-kortis' }).every((e) => e.unit === 'unit-kortis')).toBe(true);
    const views = log.query({ actions: ['view', 'print'] });
    expect(new Set(views.map((e) => e.action))).toEqual(new Set(['view', 'print']));
    expect(log.query({ actions: [] })).toEqual([]);
    const window = log.query({ from: '2026-11-27T06:10:00.000Z', to: '2026-11-27T06:20:00.000Z' });
    expect(window.map((e) => e.seq).sort((a, b) => a - b)).toEqual([
      11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    ]);
    expect(log.query({ limit: 5 })).toHaveLength(5);
    const combined = log.query({ user: 'bo.staff', actions: ['view'], from: '2026-11-27' });
    expect(combined.every((e) => e.user === 'bo.staff' && e.action === 'view')).toBe(true);
  });

  it('keeps a chain that still verifies against an anchor held elsewhere', () => {
    const copy = memoryAnchor(log.head());
    const db = fx.raw();
    try {
      expect(verifyAuditChain(db, copy.read())).toMatchObject({ ok: true, entries: 60 });
    } finally {
      db.close();
    }
  });
});
