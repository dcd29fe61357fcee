/**
 * Accounts and signed-in HTTP clients for tests. Accounts are made with the real `addUser`
 * (real scrypt hashes) in the real control database; clients sign in through the real sign-in
 * form and keep the session cookie like a browser would.
 */
import type { Clock } from '../../src/core/clock.ts';
import { addUser } from '../../src/auth/users.ts';
import { totpCode } from '../../src/auth/totp.ts';
import type { Role } from '../../src/auth/policy.ts';
import type { Db } from '../../src/store/db.ts';

/** A passphrase that meets the password rules (at least 15 characters, not common). */
export const TEST_PASSWORD = 'blåbärssoppa vid Kebnekaise';

export interface MutableClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function mutableClock(start: Date | string): MutableClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (at) => (t = new Date(at).getTime()),
    advance: (ms) => (t += ms),
  };
}

export interface TestUser {
  readonly name: string;
  readonly role: Role;
  readonly units: readonly string[];
  readonly password: string;
  readonly totpSecret: string | null;
}

export async function createTestUser(
  control: Db,
  clock: Clock,
  spec: {
    name: string;
    role: Role;
    units?: readonly string[];
    hsaId?: string;
    displayName?: string;
  },
): Promise<TestUser> {
  const { totpSecret } = await addUser(
    control,
    {
      name: spec.name,
      displayName: spec.displayName ?? `Test ${spec.name}`,
      role: spec.role,
      units: spec.units ?? [],
      hsaId: spec.hsaId,
      password: TEST_PASSWORD,
    },
    clock,
  );
  return {
    name: spec.name,
    role: spec.role,
    units: spec.units ?? [],
    password: TEST_PASSWORD,
    totpSecret,
  };
}

export interface Client {
  readonly cookie: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

function cookieOf(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('rj_session='));
  return set?.split(';')[0];
}

export function client(url: string, cookie: string): Client {
  return {
    cookie,
    get: (path, headers = {}) =>
      fetch(`${url}${path}`, { redirect: 'manual', headers: { Cookie: cookie, ...headers } }),
    post: (path, form, headers = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams(form),
        headers: { Cookie: cookie, Origin: url, ...headers },
      }),
  };
}

/**
 * Sign in through the form. For accounts with a second factor the clock (which must be the
 * station's clock) is moved on one TOTP step first, so that a code is never reused.
 */
export async function signIn(url: string, user: TestUser, clock?: MutableClock): Promise<Client> {
  let code = '';
  if (user.totpSecret !== null) {
    if (!clock) throw new Error(`${user.name} has a second factor: pass the station clock`);
    clock.advance(30_000);
    code = totpCode(user.totpSecret, clock.now());
  }
  const res = await fetch(`${url}/logga-in`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ name: user.name, password: user.password, code }),
    headers: { Origin: url },
  });
  const cookie = cookieOf(res);
  if (res.status !== 303 || cookie === undefined)
    throw new Error(`sign-in of ${user.name} failed with ${res.status}`);
  return client(url, cookie);
}

/** Top-level unit ids of a snapshot (nursing homes and home-care groups): "all units". */
export function allUnits(db: Db): string[] {
  return db
    .prepare(
      'SELECT id FROM unit WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM unit)',
    )
    .pluck()
    .all() as string[];
}
