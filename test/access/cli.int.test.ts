/**
 * The access and audit commands end to end: the real binary on a real station in a temporary
 * folder. One station is set up once (`station init` and one `import` through the CLI, so the
 * import is audited and `access grant` has units to check against); the tests then run in file
 * order on it, as an administrator would: accounts, emergency codes, then the audit log those
 * commands wrote. Tampering is done on copies of the data directory, so the log of the station
 * itself stays intact.
 *
 * Cost: every accepted password costs one scrypt (~0.3 s) and every command one process start,
 * so commands that change nothing (refusals) run side by side.
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../src/audit/checkpoint.ts';
import { verifyPassword } from '../../src/auth/password-hash.ts';
import { totpCode } from '../../src/auth/totp.ts';
import { systemClock } from '../../src/core/clock.ts';
import { loadPublicKey } from '../../src/snapshot/keys.ts';
import { stationAudit } from '../../src/station/access.ts';
import { openStation } from '../../src/station/station.ts';
import { openEncrypted } from '../../src/store/db.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { fhirProblems } from '../helpers/fhir-validator.ts';
import { build, generatedSource, makeExporter } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('access-cli');
const ST = path.join(dir, 'station');

/** Passphrases that meet the rules (15+ characters, or 8+ with a second factor). */
const NURSE_PW = 'sju lingonris i en blå hink';
const FILE_PW = 'tre tranor dansar vid Hornborgasjön';
const RESET_PW = 'kanelbulle under stjärnhimlen';
/** 12 characters: enough with a second factor, too short alone. */
const ONCALL_PW = 'molnbärskaka';
const ADMIN_PW = 'serverrummet luktar kaffe';
const COMMON_PW = 'password1234567890';
const ALL_PASSWORDS = [NURSE_PW, FILE_PW, RESET_PW, ONCALL_PW, ADMIN_PW, COMMON_PW];

const CODE_FORMAT = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** A station command on the shared station; `input` goes to standard input. */
function rj(args: string[], input?: string, dataDir = ST): Promise<CliResult> {
  return runCli([...args, '--data-dir', dataDir], {
    cwd: dir,
    ...(input === undefined ? {} : { input }),
  });
}

/** Every command output seen, to check that no password ever shows up in it. */
const outputs: CliResult[] = [];
async function run(args: string[], input?: string, dataDir?: string): Promise<CliResult> {
  const r = await rj(args, input, dataDir);
  outputs.push(r);
  return r;
}

function expectNoPasswordShown(): void {
  for (const r of outputs)
    for (const pw of ALL_PASSWORDS) {
      expect(r.stdout).not.toContain(pw);
      expect(r.stderr).not.toContain(pw);
    }
}

function expectRefused(r: CliResult, code: string, exitCode: number): void {
  expect(r.stderr, r.stdout).toContain(`reservjournal: ${code}:`);
  expect(r.code, r.stderr).toBe(exitCode);
  expect(r.stderr).toContain('Next step:');
}

interface ListedUser {
  name: string;
  displayName: string;
  role: string;
  units: string[];
  hsaId: string | null;
  secondFactor: boolean;
  disabled: boolean;
  createdAt: string;
}

async function listUsers(): Promise<ListedUser[]> {
  const r = await run(['users', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ListedUser[];
}

interface ListedCode {
  id: string;
  unitId: string;
  issuedBy: string;
  issuedAt: string;
  validUntil: string;
  reason: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

async function listCodes(): Promise<{ codes: ListedCode[]; stdout: string }> {
  const r = await run(['access', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return { codes: JSON.parse(r.stdout) as ListedCode[], stdout: r.stdout };
}

/** The stored row of an account, read with the real driver and the station's key. */
function storedUser(name: string): { password_hash: string; totp_secret: string | null } {
  const db = openEncrypted(path.join(ST, 'control.sqlite'), dbKey(ST), { readonly: true });
  try {
    return db.prepare('SELECT password_hash, totp_secret FROM user WHERE name = ?').get(name) as {
      password_hash: string;
      totp_secret: string | null;
    };
  } finally {
    db.close();
  }
}

function dbKey(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'keys', 'db.key'), 'utf8').trim();
}

function totpSecretIn(stdout: string, name: string): string {
  const m = new RegExp(`secret for ${name}: ([A-Z2-7]+)\\n`).exec(stdout);
  expect(m, stdout).not.toBeNull();
  return m![1]!;
}

let unit = '';
let oncallSecret = '';
/** Entries the setup and the tests below expect in the log, in order (the `action` of each). */
const expectedActions: string[] = [];

beforeAll(async () => {
  const exporter = makeExporter(path.join(dir, 'exporter'));
  const source = generatedSource(path.join(dir, 'export'), 4, 'access-cli');
  // A unit that surely exists in the snapshot: the one the first resident belongs to.
  const patient = JSON.parse(
    readFileSync(path.join(source, 'Patient.ndjson'), 'utf8').split('\n')[0]!,
  ) as { managingOrganization: { reference: string } };
  unit = patient.managingOrganization.reference.replace('Organization/', '');
  const init = await runCli(
    ['station', 'init', '--data-dir', ST, '--trust-exporter', exporter.pubFile],
    { cwd: dir },
  );
  expect(init.code, init.stderr).toBe(0);
  const snap = await build({
    sourceDir: source,
    sequence: 1,
    exporter,
    recipients: [loadPublicKey(path.join(ST, 'station.pub'), 'x25519')],
    out: path.join(dir, 'snap-1.rjsnap'),
  });
  const imported = await rj(['import', snap, '--log-level', 'silent']);
  expect(imported.code, imported.stderr).toBe(0);
  expectedActions.push('import');
});

describe('reservjournal users', () => {
  it('refuses a too-short or common password with PASSWORD_REJECTED (exit 65) and creates nothing', async () => {
    const [short, common] = await Promise.all([
      // Twelve characters are too few for an account without a second factor.
      run(['users', 'add', 'karin', '--role', 'nurse', '--units', unit], `${ONCALL_PW}\n`),
      run(['users', 'add', 'karin', '--role', 'nurse', '--units', unit], `${COMMON_PW}\n`),
    ]);
    expectRefused(short, 'PASSWORD_REJECTED', 65);
    expect(short.stderr).toContain('minst 15 tecken');
    expectRefused(common, 'PASSWORD_REJECTED', 65);
    expect(common.stderr).toContain('för vanligt');
    expect(await listUsers()).toEqual([]);
    expectNoPasswordShown();
  });

  it('adds accounts with the password from standard input or the first line of --password-file', async () => {
    const karin = await run(
      ['users', 'add', 'karin', '--role', 'nurse', '--units', unit, '--display-name', 'Karin Ek'],
      `${NURSE_PW}\n`,
    );
    expect(karin.code, karin.stderr).toBe(0);
    expect(karin.stdout).toContain('User karin added.');
    expect(karin.stdout).not.toContain('otpauth://');
    writeFileSync(path.join(dir, 'lars.pw'), `${FILE_PW}\nsecond line is not the password\n`, {
      mode: 0o600,
    });
    const lars = await run([
      'users',
      'add',
      'lars',
      '--role',
      'staff',
      '--units',
      unit,
      '--password-file',
      'lars.pw',
    ]);
    expect(lars.code, lars.stderr).toBe(0);
    expectedActions.push('admin', 'admin');

    expect(await verifyPassword(NURSE_PW, storedUser('karin').password_hash)).toBe(true);
    expect(await verifyPassword(FILE_PW, storedUser('lars').password_hash)).toBe(true);
    const users = await listUsers();
    expect(users.map((u) => [u.name, u.displayName, u.role, u.units, u.disabled])).toEqual([
      ['karin', 'Karin Ek', 'nurse', [unit], false],
      ['lars', 'lars', 'staff', [unit], false],
    ]);
    expectNoPasswordShown();
  });

  it('gives oncall and admin accounts a TOTP secret and otpauth URI, which lets them use 8+ character passwords', async () => {
    const bo = await run(
      ['users', 'add', 'bo', '--role', 'oncall', '--units', unit],
      `${ONCALL_PW}\n`,
    );
    expect(bo.code, bo.stderr).toBe(0);
    oncallSecret = totpSecretIn(bo.stdout, 'bo');
    expect(oncallSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(bo.stdout).toContain(
      `otpauth://totp/Reservjournal:bo?secret=${oncallSecret}&issuer=Reservjournal&algorithm=SHA1&digits=6&period=30`,
    );
    const admin = await run(['users', 'add', 'it-admin', '--role', 'admin'], `${ADMIN_PW}\n`);
    expect(admin.code, admin.stderr).toBe(0);
    const adminSecret = totpSecretIn(admin.stdout, 'it-admin');
    expect(admin.stdout).toContain(`otpauth://totp/Reservjournal:it-admin?secret=${adminSecret}`);
    expectedActions.push('admin', 'admin');

    // The secret shown is the one the station checks codes against.
    expect(storedUser('bo').totp_secret).toBe(oncallSecret);
    expect(storedUser('it-admin').totp_secret).toBe(adminSecret);
    expect(storedUser('karin').totp_secret).toBeNull();
    expectNoPasswordShown();
  });

  it('refuses unit ids that are not in the active snapshot', async () => {
    const r = await run(
      ['users', 'add', 'typo', '--role', 'staff', '--units', `${unit},avd-finns-ej`],
      `${RESET_PW}\n`,
    );
    expectRefused(r, 'USAGE', 2);
    expect(r.stderr).toContain('avd-finns-ej');
    expect(r.stderr).not.toContain(`${unit},`);
  });

  it('refuses an existing name (USER_EXISTS), an unknown role (USAGE, exit 2) and disabling an unknown user (USER_NOT_FOUND)', async () => {
    const [exists, badRole, unknown] = await Promise.all([
      run(['users', 'add', 'KARIN', '--role', 'nurse', '--units', unit], `${RESET_PW}\n`),
      run(['users', 'add', 'olle', '--role', 'chef', '--units', unit], `${RESET_PW}\n`),
      run(['users', 'disable', 'nobody']),
    ]);
    expectRefused(exists, 'USER_EXISTS', 73);
    expectRefused(badRole, 'USAGE', 2);
    expect(badRole.stderr).toContain('--role must be one of staff, nurse, oncall, admin, auditor');
    expectRefused(unknown, 'USER_NOT_FOUND', 67);
    expect((await listUsers()).map((u) => u.name)).toEqual(['bo', 'it-admin', 'karin', 'lars']);
    expectNoPasswordShown();
  });

  it('lists accounts without hashes or secrets, shows a disabled account, and re-enables it on reset', async () => {
    const disable = await run(['users', 'disable', 'lars']);
    expect(disable.code, disable.stderr).toBe(0);
    expectedActions.push('admin');
    const listed = await run(['users', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const users = JSON.parse(listed.stdout) as ListedUser[];
    for (const u of users)
      expect(Object.keys(u).sort()).toEqual([
        'createdAt',
        'disabled',
        'displayName',
        'hsaId',
        'name',
        'role',
        'secondFactor',
        'units',
      ]);
    expect(users.map((u) => [u.name, u.disabled, u.secondFactor])).toEqual([
      ['bo', false, true],
      ['it-admin', false, true],
      ['karin', false, false],
      ['lars', true, false],
    ]);
    const text = await run(['users', 'list']);
    expect(text.stdout).toMatch(/^lars\tstaff\t.*\tdisabled\t/m);
    for (const out of [listed.stdout, text.stdout]) {
      expect(out).not.toContain('scrypt$');
      expect(out).not.toContain(oncallSecret);
      expect(out).not.toContain(storedUser('it-admin').totp_secret!);
    }

    const reset = await run(['users', 'reset', 'lars'], `${RESET_PW}\n`);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('User lars has a new password and is enabled.');
    expectedActions.push('admin');
    expect((await listUsers()).find((u) => u.name === 'lars')?.disabled).toBe(false);
    const hash = storedUser('lars').password_hash;
    expect(await verifyPassword(RESET_PW, hash)).toBe(true);
    expect(await verifyPassword(FILE_PW, hash)).toBe(false);
    expectNoPasswordShown();
  });
});

describe('reservjournal access', () => {
  let code = '';
  let ref = '';

  it('issues a code of the form XXXX-XXXX-XXXX for one unit and lists it without the code', async () => {
    const grant = await run([
      'access',
      'grant',
      '--unit',
      unit,
      '--hours',
      '4',
      '--reason',
      'Vikarie på natten utan konto',
      '--by',
      'bo',
    ]);
    expect(grant.code, grant.stderr).toBe(0);
    expectedActions.push('emergency');
    const m = /Emergency code for unit (\S+): (\S+)\n[\s\S]*\(reference ([0-9a-f]+)\)/.exec(
      grant.stdout,
    );
    expect(m, grant.stdout).not.toBeNull();
    expect(m![1]).toBe(unit);
    code = m![2]!;
    ref = m![3]!;
    expect(code).toMatch(CODE_FORMAT);

    const { codes, stdout } = await listCodes();
    expect(codes).toHaveLength(1);
    const listed = codes[0]!;
    expect(listed).toMatchObject({
      id: ref,
      unitId: unit,
      issuedBy: 'bo',
      reason: 'Vikarie på natten utan konto',
      revokedAt: null,
    });
    expect(Date.parse(listed.validUntil) - Date.parse(listed.issuedAt)).toBe(4 * 3_600_000);
    const bare = code.replace(/-/g, '');
    expect(stdout).not.toContain(code);
    expect(stdout).not.toContain(bare);
    expect(stdout).not.toContain(createHash('sha256').update(bare).digest('hex'));
  });

  it('refuses more than 12 hours, 0 hours, a non-oncall issuer and an unknown unit with EMERGENCY_CODE_INVALID', async () => {
    const grant = (unitId: string, hours: string, by: string) =>
      run(['access', 'grant', '--unit', unitId, '--hours', hours, '--reason', 'natt', '--by', by]);
    const [tooLong, zero, nurse, nobody, noUnit, notTheirs] = await Promise.all([
      grant(unit, '13', 'bo'),
      grant(unit, '0', 'bo'),
      grant(unit, '2', 'karin'),
      grant(unit, '2', 'nobody'),
      grant('no-such-unit', '2', 'bo'),
      // A unit of the snapshot that the on-call manager does not answer for: the municipality.
      grant('kommun', '2', 'bo'),
    ]);
    for (const r of [tooLong, zero]) {
      expectRefused(r, 'EMERGENCY_CODE_INVALID', 65);
      expect(r.stderr).toContain('--hours must be more than 0 and at most 12');
    }
    for (const r of [nurse, nobody]) {
      expectRefused(r, 'EMERGENCY_CODE_INVALID', 65);
      expect(r.stderr).toContain('--by must name an active user with the role oncall');
    }
    for (const r of [noUnit, notTheirs]) {
      expectRefused(r, 'EMERGENCY_CODE_INVALID', 65);
      expect(r.stderr).toContain('--unit must be a unit of this station');
    }
    for (const r of [tooLong, zero, nurse, nobody, noUnit, notTheirs])
      expect(r.stdout).not.toMatch(/code/i);
    expect((await listCodes()).codes.map((c) => c.id)).toEqual([ref]);
  });

  it('revokes a code by its reference, once, and only for an on-call manager or administrator', async () => {
    const byNurse = await run(['access', 'revoke', ref, '--by', 'karin']);
    expectRefused(byNurse, 'EMERGENCY_CODE_INVALID', 65);
    expect(byNurse.stderr).toContain('--by must name an active user with the role oncall or admin');
    const revoke = await run(['access', 'revoke', ref, '--by', 'bo']);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`Emergency code ${ref} revoked`);
    expectedActions.push('emergency');
    const { codes } = await listCodes();
    expect(codes).toHaveLength(1);
    expect(codes[0]!.revokedBy).toBe('bo');
    expect(Number.isNaN(Date.parse(codes[0]!.revokedAt ?? ''))).toBe(false);
    const again = await run(['access', 'revoke', ref, '--by', 'bo']);
    expectRefused(again, 'EMERGENCY_CODE_INVALID', 65);
  });
});

describe('reservjournal audit', () => {
  interface Event {
    resourceType: string;
    type: { code: string };
    subtype?: { code: string }[];
    entity?: { description?: string; detail?: { type: string; valueString: string }[] }[];
  }
  const chainDetail = (e: Event, type: string) =>
    e.entity
      ?.find((x) => x.description === 'Reservjournal audit chain entry')
      ?.detail?.find((d) => d.type === type)?.valueString;
  const readNdjson = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);

  it('verifies the chain: one entry per import and per successful users or access command', async () => {
    const r = await run(['audit', 'verify']);
    expect(r.code, r.stderr).toBe(0);
    // import, 4 accounts added, 1 disabled, 1 reset, 1 code issued, 1 revoked; refusals log nothing.
    expect(expectedActions).toEqual([
      'import',
      ...Array<string>(6).fill('admin'),
      'emergency',
      'emergency',
    ]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^Audit log intact: ${expectedActions.length} entries, head #${expectedActions.length} [0-9a-f]{16}\\.`,
      ),
    );
  });

  it('exports R4 AuditEvent NDJSON with a signed checkpoint of the head, and logs the export itself', async () => {
    const out = path.join(dir, 'audit.ndjson');
    const r = await run(['audit', 'export', '--out', 'audit.ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expectedActions.push('export');
    const events = readNdjson(out);
    expect(events).toHaveLength(expectedActions.length);
    for (const e of events) expect(fhirProblems(e), JSON.stringify(e)).toEqual([]);
    expect(events.map((e) => chainDetail(e, 'action'))).toEqual(expectedActions);
    expect(events.map((e) => Number(chainDetail(e, 'seq')))).toEqual(
      expectedActions.map((_, i) => i + 1),
    );
    // The export is a disclosure: BALP's Export pattern (DCM 110106, subtype disclose).
    const last = events[events.length - 1]!;
    expect(last.type.code).toBe('110106');
    expect(last.subtype?.map((s) => s.code)).toContain('disclose');
    expect(r.stdout).toContain(`Exported ${events.length} AuditEvent resources`);

    const checkpoint = JSON.parse(readFileSync(`${out}.checkpoint.json`, 'utf8')) as {
      seq: number;
      hash: string;
    };
    const publicKey = loadPublicKey(path.join(ST, 'audit.pub'), 'ed25519');
    expect(verifyCheckpoint(checkpoint, publicKey)).toBe(true);
    expect(checkpoint.seq).toBe(expectedActions.length);
    expect(checkpoint.hash).toBe(chainDetail(last, 'hash'));
    expect(verifyCheckpoint({ ...checkpoint, seq: checkpoint.seq - 1 }, publicKey)).toBe(false);
  });

  it('exports no events when --since lies in the future, but still logs and signs the export', async () => {
    const since = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const r = await run(['audit', 'export', '--out', 'later.ndjson', '--since', since]);
    expect(r.code, r.stderr).toBe(0);
    expectedActions.push('export');
    expect(r.stdout).toContain('Exported 0 AuditEvent resources from 0 entries');
    expect(readFileSync(path.join(dir, 'later.ndjson'), 'utf8')).toBe('');
    const checkpoint = JSON.parse(
      readFileSync(path.join(dir, 'later.ndjson.checkpoint.json'), 'utf8'),
    ) as { seq: number };
    expect(checkpoint.seq).toBe(expectedActions.length);
    expect(verifyCheckpoint(checkpoint, loadPublicKey(path.join(ST, 'audit.pub'), 'ed25519'))).toBe(
      true,
    );
  });

  // Entries a running station appends during the export must not be covered by the
  // checkpoint: the archive's proof may only name entries it received.
  it('signs a checkpoint of the last entry in the file even while the station goes on logging', async () => {
    const copy = path.join(dir, 'station-busy');
    cpSync(ST, copy, { recursive: true });
    const station = openStation(copy);
    const audit = stationAudit(station, systemClock);
    const event = {
      action: 'sign-in-failed',
      outcome: 'failure',
      user: 'someone',
      reason: 'wrong name, password or code',
    } as const;
    try {
      // A long log, so the export takes long enough for the station to log more meanwhile.
      audit.append(Array.from({ length: 20_000 }, () => event));
      let appended = 0;
      const busy = setInterval(() => {
        audit.append([event]);
        appended++;
      }, 5);
      const r = await run(['audit', 'export', '--out', 'busy.ndjson'], undefined, copy).finally(
        () => clearInterval(busy),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(appended).toBeGreaterThan(0);
      const events = readNdjson(path.join(dir, 'busy.ndjson'));
      const last = events[events.length - 1]!;
      const checkpoint = JSON.parse(
        readFileSync(path.join(dir, 'busy.ndjson.checkpoint.json'), 'utf8'),
      ) as { seq: number; hash: string };
      expect({ seq: checkpoint.seq, hash: checkpoint.hash }).toEqual({
        seq: Number(chainDetail(last, 'seq')),
        hash: chainDetail(last, 'hash'),
      });
    } finally {
      audit.close();
      station.close();
    }
  });

  it('reports AUDIT_CHAIN_BROKEN (exit 65) naming the first bad entry when an entry is changed or the last one deleted', async () => {
    const head = expectedActions.length;
    const tampered = (name: string, sql: string[]) => {
      const copy = path.join(dir, name);
      cpSync(ST, copy, { recursive: true });
      const db = openEncrypted(path.join(copy, 'audit.sqlite'), dbKey(copy));
      try {
        // The triggers refuse changes until someone with the key drops them, as an attacker would.
        expect(() => db.prepare('DELETE FROM audit_entry WHERE seq = 1').run()).toThrow(
          /append-only/,
        );
        for (const s of sql) db.exec(s);
      } finally {
        db.close();
      }
      return copy;
    };
    const edited = tampered('station-edited', [
      'DROP TRIGGER audit_entry_no_update',
      "UPDATE audit_entry SET reason = 'user karin viewed nothing' WHERE seq = 3",
    ]);
    const cut = tampered('station-cut', [
      'DROP TRIGGER audit_entry_no_delete',
      `DELETE FROM audit_entry WHERE seq = ${head}`,
    ]);
    const [a, b] = await Promise.all([
      run(['audit', 'verify'], undefined, edited),
      run(['audit', 'verify'], undefined, cut),
    ]);
    expectRefused(a, 'AUDIT_CHAIN_BROKEN', 65);
    expect(a.stderr).toContain('first bad entry: #3');
    expectRefused(b, 'AUDIT_CHAIN_BROKEN', 65);
    expect(b.stderr).toContain(`first bad entry: #${head}`);
    // The station's own log is untouched.
    const intact = await run(['audit', 'verify']);
    expect(intact.code, intact.stderr).toBe(0);
  });
});

describe('reservjournal totp', () => {
  it('prints the current six-digit code of a secret and refuses a secret that is not base32', async () => {
    const [r, bad] = await Promise.all([
      runCli(['totp', oncallSecret]),
      runCli(['totp', 'not-base32!']),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d{6}\n$/);
    const now = new Date();
    // The process may have read the clock in the step before this one.
    expect([
      totpCode(oncallSecret, now),
      totpCode(oncallSecret, new Date(now.getTime() - 30_000)),
    ]).toContain(r.stdout.trim());
    expectRefused(bad, 'USAGE', 2);
  });
});
