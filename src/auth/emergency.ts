/**
 * Emergency access codes. At 3 a.m. a colleague without an account (a substitute, someone from
 * another unit) phones the on-call unit manager, who issues a code bound to one unit and a time
 * window of at most 12 hours, optionally for a named person. The holder signs in with the code
 * and their own name. The code is one-time in the sense that it belongs to the first person who
 * uses it: that person may sign in with it again within the window (a session that timed out
 * must not leave them stranded), nobody else can. Codes expire by themselves and can be revoked.
 *
 * Only a SHA-256 of the code is stored: codes carry 60 random bits and live at most 12 hours,
 * so a slow password hash would add nothing but delay.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { getUser } from './users.ts';

/** No 0/O, 1/I: a code is read aloud over the phone and typed by a tired person. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const MAX_HOURS = 12;

export interface EmergencyCodeRow {
  readonly id: string;
  readonly unitId: string;
  readonly forPerson: string | null;
  readonly holder: string | null;
  readonly reason: string;
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly firstUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

const SELECT = `SELECT id, unit_id AS unitId, for_person AS forPerson, holder, reason,
  issued_by AS issuedBy, issued_at AS issuedAt, valid_until AS validUntil,
  first_used_at AS firstUsedAt, revoked_at AS revokedAt, revoked_by AS revokedBy
  FROM emergency_code`;

export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}

/** Names are compared the way a person would: case, spacing and Unicode form do not matter. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv');
  return norm(a) === norm(b);
}

export interface GrantRequest {
  readonly unitId: string;
  readonly hours: number;
  readonly reason: string;
  readonly by: string;
  readonly forPerson?: string | undefined;
}

/**
 * Issue a code. `unitExists` tells whether the unit is one of this station's (from the active
 * snapshot); the code itself is returned once and never stored.
 */
export function grantEmergencyCode(
  control: Db,
  request: GrantRequest,
  clock: Clock,
  unitExists: (unitId: string) => boolean,
): { code: string; row: EmergencyCodeRow } {
  const problems: string[] = [];
  const issuer = getUser(control, request.by);
  if (!issuer || issuer.disabledAt !== null || issuer.role !== 'oncall')
    problems.push('--by must name an active user with the role oncall');
  if (!Number.isFinite(request.hours) || request.hours <= 0 || request.hours > MAX_HOURS)
    problems.push(`--hours must be more than 0 and at most ${MAX_HOURS}`);
  if (request.reason.trim().length < 3) problems.push('--reason must say why access is needed');
  if (!unitExists(request.unitId))
    problems.push('--unit must be a unit of this station that the on-call manager answers for');
  if (problems.length > 0) throw new ReservError('EMERGENCY_CODE_INVALID', { details: problems });
  let code = '';
  for (let i = 0; i < 12; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  const shown = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  const now = clock.now();
  const id = randomBytes(4).toString('hex');
  control
    .prepare(
      `INSERT INTO emergency_code (id, code_hash, unit_id, for_person, reason, issued_by, issued_at, valid_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      hashCode(code),
      request.unitId,
      request.forPerson?.trim() || null,
      request.reason.trim(),
      issuer!.name,
      now.toISOString(),
      new Date(now.getTime() + request.hours * 3_600_000).toISOString(),
    );
  return { code: shown, row: getEmergencyCode(control, id)! };
}

export function getEmergencyCode(control: Db, id: string): EmergencyCodeRow | undefined {
  return control.prepare(`${SELECT} WHERE id = ?`).get(id) as EmergencyCodeRow | undefined;
}

export function isUsable(row: EmergencyCodeRow, now: Date): boolean {
  const t = now.getTime();
  return row.revokedAt === null && t >= Date.parse(row.issuedAt) && t < Date.parse(row.validUntil);
}

/** Codes still valid, then those that ended in the last 24 hours, newest first. */
export function listEmergencyCodes(control: Db, now: Date): EmergencyCodeRow[] {
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  return control
    .prepare(`${SELECT} WHERE valid_until > ? ORDER BY issued_at DESC`)
    .all(since) as EmergencyCodeRow[];
}

export function revokeEmergencyCode(control: Db, id: string, by: string, clock: Clock): boolean {
  return (
    control
      .prepare(
        'UPDATE emergency_code SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(clock.now().toISOString(), by, id).changes === 1
  );
}

/**
 * Sign in with a code: the code must be usable now, name the same person if it was issued for
 * one, and not belong to someone else already. The first use binds it to the holder's name.
 */
export function redeemEmergencyCode(
  control: Db,
  code: string,
  name: string,
  now: Date,
): EmergencyCodeRow | undefined {
  if (name.trim().length < 2) return undefined;
  const row = control.prepare(`${SELECT} WHERE code_hash = ?`).get(hashCode(code)) as
    EmergencyCodeRow | undefined;
  if (!row || !isUsable(row, now)) return undefined;
  if (row.forPerson !== null && !sameName(row.forPerson, name)) return undefined;
  if (row.holder !== null) return sameName(row.holder, name) ? row : undefined;
  const claimed = control
    .prepare(
      'UPDATE emergency_code SET holder = ?, first_used_at = ? WHERE id = ? AND holder IS NULL',
    )
    .run(name.normalize('NFC').trim().replace(/\s+/g, ' '), now.toISOString(), row.id).changes;
  return claimed === 1 ? getEmergencyCode(control, row.id) : undefined;
}
