/**
 * A real audit log for tests: an encrypted audit database and a real control database (for the
 * anchor) in a temp folder, a clock the test sets, and seeded events.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../src/core/clock.ts';
import { controlAnchor, type AuditAnchor } from '../../src/audit/anchor.ts';
import { openAuditLog, type AuditLog, type AuditLogOptions } from '../../src/audit/audit-log.ts';
import type { AuditEventInput } from '../../src/audit/vocabulary.ts';
import { migrate, openEncrypted, type Db } from '../../src/store/db.ts';
import { CONTROL_MIGRATIONS } from '../../src/store/migrations/index.ts';
import { tempDir } from '../helpers/tmp.ts';

export const T0 = '2026-11-27T06:00:00.000Z';

export interface SettableClock extends Clock {
  set(iso: string): void;
  /** Move the clock on by `ms` milliseconds. */
  tick(ms: number): void;
}

export function settableClock(start = T0): SettableClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    tick: (ms) => {
      t += ms;
    },
  };
}

export interface AuditFixture {
  readonly dir: string;
  readonly file: string;
  readonly dbKey: string;
  readonly control: Db;
  readonly anchor: AuditAnchor;
  readonly clock: SettableClock;
  open(extra?: Partial<AuditLogOptions>): AuditLog;
  /** A second, raw connection to the audit file. */
  raw(): Db;
}

/** Call at the top level of a test file (the temp folder is removed after the file). */
export function auditFixture(prefix: string, name = 'audit.sqlite'): AuditFixture {
  const dir = tempDir(prefix);
  const dbKey = randomBytes(32).toString('hex');
  const control = openEncrypted(path.join(dir, 'control.sqlite'), dbKey, { create: true });
  control.pragma('journal_mode = WAL');
  migrate(control, CONTROL_MIGRATIONS);
  const anchor = controlAnchor(control);
  const clock = settableClock();
  const file = path.join(dir, name);
  return {
    dir,
    file,
    dbKey,
    control,
    anchor,
    clock,
    open: (extra = {}) => openAuditLog({ file, dbKey, clock, anchor, ...extra }),
    raw: () => openEncrypted(file, dbKey),
  };
}

/** A small seeded generator (mulberry32), so fixtures are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = ['anna.nurse', 'bo.staff', 'cecilia.oncall', 'david.admin', 'eva.auditor'];
const ROLES = ['nurse', 'staff', 'oncall', 'admin', 'auditor'];
const UNITS = ['unit-solgarden', 'unit-hemtjanst-norr', 'unit-kortis'];
const PATIENTS: [string, string][] = [
  ['pat-1', '191212121212'],
  ['pat-2', '194107086995'],
  ['pat-3', '193906277854'],
  ['pat-4', '192704709998'],
];

/** A plausible event of every kind the station writes, chosen by the seeded generator. */
export function randomEvent(rand: () => number): AuditEventInput {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const i = Math.floor(rand() * USERS.length);
  const who = { user: USERS[i]!, role: ROLES[i]!, unit: pick(UNITS), session: `s-${i}` };
  const [patient, patientIdent] = pick(PATIENTS);
  const kind = pick(['view', 'view', 'view', 'search', 'print', 'sign-in', 'denied', 'emergency']);
  switch (kind) {
    case 'view':
      return {
        ...who,
        action: 'view',
        outcome: 'success',
        patient,
        patientIdent,
        resources: [`Patient/${patient}`, `MedicationRequest/mr-${Math.floor(rand() * 100)}`],
        snapshotId: 'snap-0007',
        ...(rand() < 0.2 ? { flags: ['break-glass' as const], reason: 'akut fall' } : {}),
      };
    case 'search':
      return { ...who, action: 'search', outcome: 'success', resources: ['Patient/pat-1'] };
    case 'print':
      return { ...who, action: 'print', outcome: 'success', patient, patientIdent };
    case 'sign-in':
      return { ...who, action: 'sign-in', outcome: rand() < 0.3 ? 'failure' : 'success' };
    case 'denied':
      return { ...who, action: 'denied', outcome: 'denied', patient, reason: 'unit' };
    default:
      return { ...who, action: 'emergency', outcome: 'success', reason: 'strömavbrott' };
  }
}
