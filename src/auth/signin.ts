/**
 * Signing in, as plain functions over the control database, the clock and the throttle.
 *
 * User enumeration (matrix row U6): an unknown name, a disabled account, a wrong password and a
 * wrong one-time code all give the same answer, AUTH_FAILED, after the same work — an unknown
 * name is checked against a dummy hash so it costs one scrypt like any other attempt. A throttled
 * name is answered before any hashing, whether or not it exists.
 */
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { redeemEmergencyCode, type EmergencyCodeRow } from './emergency.ts';
import { dummyHash, verifyPassword } from './password-hash.ts';
import type { Throttle } from './throttle.ts';
import { verifyTotp } from './totp.ts';
import { getUser, recordTotpStep, type UserRow } from './users.ts';

export interface SignInDeps {
  readonly control: Db;
  readonly clock: Clock;
  readonly throttle: Throttle;
}

function throttled(waitMs: number): ReservError {
  return new ReservError('AUTH_THROTTLED', {
    details: [`wait ${Math.ceil(waitMs / 1000)} s`],
  });
}

/** Throws AUTH_THROTTLED or AUTH_FAILED; returns the account on success. */
export async function signInWithPassword(
  deps: SignInDeps,
  input: { readonly name: string; readonly password: string; readonly code?: string },
): Promise<UserRow> {
  const key = `user:${input.name}`;
  const wait = deps.throttle.waitMs(key, deps.clock.now().getTime());
  if (wait > 0) throw throttled(wait);
  const user = input.name.trim() === '' ? undefined : getUser(deps.control, input.name.trim());
  const passwordOk = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyHash()),
  );
  let ok = passwordOk && user !== undefined && user.disabledAt === null;
  if (ok && user!.totpSecret !== null) {
    const totp = verifyTotp(
      user!.totpSecret,
      input.code ?? '',
      deps.clock.now(),
      user!.totpLastStep,
    );
    if (totp.ok) recordTotpStep(deps.control, user!.name, totp.step);
    ok = totp.ok;
  }
  if (!ok) {
    deps.throttle.failed(key, deps.clock.now().getTime());
    throw new ReservError('AUTH_FAILED');
  }
  deps.throttle.succeeded(key);
  return user!;
}

/** Emergency codes are throttled together: guessing one code is guessing any code. */
const CODE_KEY = 'emergency-codes';

export function signInWithCode(
  deps: SignInDeps,
  input: { readonly code: string; readonly name: string },
): EmergencyCodeRow {
  const now = deps.clock.now();
  const wait = deps.throttle.waitMs(CODE_KEY, now.getTime());
  if (wait > 0) throw throttled(wait);
  const row = redeemEmergencyCode(deps.control, input.code, input.name, now);
  if (!row) {
    deps.throttle.failed(CODE_KEY, now.getTime());
    throw new ReservError('AUTH_FAILED');
  }
  return row;
}
