/**
 * Station accounts in the control database: add, list, disable, reset. Passwords arrive as
 * arguments of these functions (the CLI reads them from stdin or a file, never from argv) and
 * are stored only as scrypt hashes. `oncall` and `admin` accounts always get a TOTP secret: they
 * can let other people in, so one stolen password must not be enough.
 */
import { createHash } from 'node:crypto';
import { ReservError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.ts';
import { hashPassword } from './password-hash.ts';
import { checkPassword } from './password-policy.ts';
import { ROLES, type Role } from './policy.ts';
import { generateTotpSecret } from './totp.ts';

export const ROLES_WITH_TOTP: ReadonlySet<Role> = new Set(['oncall', 'admin']);

export interface UserRow {
  readonly name: string;
  readonly displayName: string;
  readonly role: Role;
  readonly units: readonly string[];
  readonly hsaId: string | null;
  readonly passwordHash: string;
  readonly totpSecret: string | null;
  readonly totpLastStep: number | null;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
  readonly disabledAt: string | null;
}

const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/i;

const SELECT = `SELECT name, display_name AS displayName, role, units, hsa_id AS hsaId,
  password_hash AS passwordHash, totp_secret AS totpSecret, totp_last_step AS totpLastStep,
  created_at AS createdAt, password_changed_at AS passwordChangedAt, disabled_at AS disabledAt
  FROM user`;

function toUser(row: Record<string, unknown> | undefined): UserRow | undefined {
  if (row === undefined) return undefined;
  return { ...(row as unknown as UserRow), units: JSON.parse(row.units as string) as string[] };
}

/**
 * A short fingerprint of the stored password hash (which has a fresh salt at every reset): a
 * session remembers it, so a password reset ends every session opened with the old password.
 */
export function credentialOf(user: UserRow): string {
  return createHash('sha256').update(user.passwordHash).digest('hex').slice(0, 16);
}

export function getUser(control: Db, name: string): UserRow | undefined {
  return toUser(control.prepare(`${SELECT} WHERE name = ?`).get(name) as Record<string, unknown>);
}

export function listUsers(control: Db): UserRow[] {
  return (control.prepare(`${SELECT} ORDER BY name`).all() as Record<string, unknown>[]).map((r) =>
    toUser(r)!,
  );
}

export interface NewUser {
  readonly name: string;
  readonly displayName: string;
  readonly role: string;
  readonly units: readonly string[];
  readonly hsaId?: string | undefined;
  readonly password: string;
  /** Give a staff or nurse account a second factor too (it lowers the length rule to 8). */
  readonly totp?: boolean;
}

function usage(detail: string): ReservError {
  return new ReservError('USAGE', { details: [detail] });
}

export function validRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw usage(`--role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

function rejectPassword(password: string, name: string, displayName: string, totp: boolean) {
  const verdict = checkPassword(password, { userName: name, displayName, secondFactor: totp });
  if (!verdict.ok) throw new ReservError('PASSWORD_REJECTED', { details: verdict.reasons });
}

/** Create an account; returns its TOTP secret when it has one (shown once, to the operator). */
export async function addUser(
  control: Db,
  user: NewUser,
  clock: Clock,
): Promise<{ totpSecret: string | null }> {
  if (!USER_NAME.test(user.name))
    throw usage('the user name must be 2–64 letters, digits, ".", "_" or "-"');
  const role = validRole(user.role);
  if (user.displayName.trim() === '') throw usage('--display-name must not be empty');
  const needsUnits = role === 'staff' || role === 'nurse' || role === 'oncall';
  if (needsUnits && user.units.length === 0) throw usage(`a ${role} account needs --units`);
  if (getUser(control, user.name)) throw new ReservError('USER_EXISTS');
  const totp = ROLES_WITH_TOTP.has(role) || user.totp === true;
  rejectPassword(user.password, user.name, user.displayName, totp);
  const hash = await hashPassword(user.password);
  const secret = totp ? generateTotpSecret() : null;
  const now = clock.now().toISOString();
  control
    .prepare(
      `INSERT INTO user (name, display_name, role, units, hsa_id, password_hash, totp_secret,
                         created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      user.name,
      user.displayName.trim(),
      role,
      JSON.stringify([...new Set(user.units)]),
      user.hsaId ?? null,
      hash,
      secret,
      now,
      now,
    );
  return { totpSecret: secret };
}

export function disableUser(control: Db, name: string, clock: Clock): void {
  const changed = control
    .prepare('UPDATE user SET disabled_at = coalesce(disabled_at, ?) WHERE name = ?')
    .run(clock.now().toISOString(), name).changes;
  if (changed === 0) throw new ReservError('USER_NOT_FOUND');
}

/**
 * A new password (and a fresh TOTP secret when asked): re-enables a disabled account. Sessions
 * that started before the reset end at their next request (they compare passwordChangedAt).
 */
export async function resetUser(
  control: Db,
  name: string,
  password: string,
  clock: Clock,
  options: { newTotp?: boolean } = {},
): Promise<{ totpSecret: string | null }> {
  const user = getUser(control, name);
  if (!user) throw new ReservError('USER_NOT_FOUND');
  const totp = user.totpSecret !== null;
  rejectPassword(password, user.name, user.displayName, totp);
  const hash = await hashPassword(password);
  const secret = totp && options.newTotp ? generateTotpSecret() : user.totpSecret;
  control
    .prepare(
      `UPDATE user SET password_hash = ?, password_changed_at = ?, disabled_at = NULL,
              totp_secret = ?, totp_last_step = CASE WHEN ? THEN NULL ELSE totp_last_step END
        WHERE name = ?`,
    )
    .run(hash, clock.now().toISOString(), secret, options.newTotp ? 1 : 0, user.name);
  return { totpSecret: options.newTotp ? secret : null };
}

/** Record the TOTP step just used, so the same code cannot be replayed. */
export function recordTotpStep(control: Db, name: string, step: number): void {
  control.prepare('UPDATE user SET totp_last_step = ? WHERE name = ?').run(step, name);
}
