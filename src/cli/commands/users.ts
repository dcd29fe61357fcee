/**
 * `reservjournal users add|list|disable|reset` and `reservjournal totp`. Passwords are read
 * from a file (`--password-file`) or standard input, never from the command line. Every change
 * to an account is written to the audit log as an `admin` event.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { otpauthUri, totpCode } from '../../auth/totp.ts';
import { addUser, disableUser, listUsers, resetUser } from '../../auth/users.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { stationAudit } from '../../station/access.ts';
import { stationSnapshotSource } from '../../station/snapshot-source.ts';
import { openStation, type Station } from '../../station/station.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { stationConfig } from './station.ts';

async function readPassword(io: CliIo, file: string | undefined): Promise<string> {
  if (file !== undefined) {
    const full = path.resolve(io.cwd, file);
    try {
      // The first line of the file; a trailing newline is not part of the password.
      return readFileSync(full, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (cause) {
      throw new ReservError('USAGE', { details: [`cannot read --password-file ${full}`], cause });
    }
  }
  return io.readSecret('Password: ');
}

function withStation<T>(
  values: { 'data-dir'?: string | undefined },
  io: CliIo,
  run: (s: Station) => T,
): T {
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  try {
    return run(station);
  } finally {
    station.close();
  }
}

function auditAdmin(station: Station, reason: string): void {
  const audit = stationAudit(station, systemClock);
  try {
    audit.append([{ action: 'admin', outcome: 'success', user: 'cli', role: 'admin', reason }]);
  } finally {
    audit.close();
  }
}

function showTotp(io: CliIo, name: string, secret: string): void {
  io.stdout(
    `Second factor (TOTP) secret for ${name}: ${secret}\n` +
      `  Add it to an authenticator app (or scan this URI as a QR code): ${otpauthUri(secret, name)}\n` +
      '  It is shown only now.\n',
  );
}

/**
 * With data loaded, unit ids must exist in the active snapshot: a typo would otherwise give an
 * account that silently sees nothing. A station without data yet takes them as given.
 */
function checkUnits(station: Station, units: readonly string[]): void {
  const source = stationSnapshotSource(station);
  const snapshot = source.current();
  try {
    if (!snapshot) return;
    const known = snapshot.db.prepare('SELECT 1 FROM unit WHERE id = ?');
    const unknown = units.filter((u) => known.get(u) === undefined);
    if (unknown.length > 0)
      throw new ReservError('USAGE', {
        details: [`--units names units that are not in the active snapshot: ${unknown.join(', ')}`],
      });
  } finally {
    snapshot?.release?.();
    source.close();
  }
}

const USER_OPTIONS = {
  ...STATION_OPTIONS,
  role: { type: 'string' },
  units: { type: 'string' },
  'display-name': { type: 'string' },
  'hsa-id': { type: 'string' },
  totp: { type: 'boolean' },
  'new-totp': { type: 'boolean' },
  'password-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function runUsers(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parse(rest, USER_OPTIONS, 1);
  const name = positionals[0];
  switch (verb) {
    case 'add': {
      const user = requireOption(name, 'the user name');
      const password = await readPassword(io, values['password-file']);
      const config = stationConfig(values, io);
      const station = openStation(config.dataDir);
      try {
        const units = (values.units ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        checkUnits(station, units);
        const { totpSecret } = await addUser(
          station.control,
          {
            name: user,
            displayName: values['display-name'] ?? user,
            role: requireOption(values.role, '--role'),
            units: (values.units ?? '')
              .split(',')
              .map((u) => u.trim())
              .filter(Boolean),
            hsaId: values['hsa-id'],
            password,
            totp: values.totp ?? false,
          },
          systemClock,
        );
        auditAdmin(station, `user ${user} added with role ${values.role}`);
        io.stdout(`User ${user} added.\n`);
        if (totpSecret) showTotp(io, user, totpSecret);
      } finally {
        station.close();
      }
      return 0;
    }
    case 'list':
      return withStation(values, io, (station) => {
        const users = listUsers(station.control).map((u) => ({
          name: u.name,
          displayName: u.displayName,
          role: u.role,
          units: u.units,
          hsaId: u.hsaId,
          secondFactor: u.totpSecret !== null,
          disabled: u.disabledAt !== null,
          createdAt: u.createdAt,
        }));
        if (values.json) io.stdout(JSON.stringify(users, null, 2) + '\n');
        else
          for (const u of users)
            io.stdout(
              `${u.name}\t${u.role}\t${u.units.join(',') || '-'}\t${u.disabled ? 'disabled' : 'active'}${u.secondFactor ? '\tTOTP' : ''}\t${u.displayName}\n`,
            );
        return 0;
      });
    case 'disable':
      return withStation(values, io, (station) => {
        const user = requireOption(name, 'the user name');
        disableUser(station.control, user, systemClock);
        auditAdmin(station, `user ${user} disabled`);
        io.stdout(`User ${user} disabled; their sessions end at their next click.\n`);
        return 0;
      });
    case 'reset': {
      const user = requireOption(name, 'the user name');
      const password = await readPassword(io, values['password-file']);
      const config = stationConfig(values, io);
      const station = openStation(config.dataDir);
      try {
        const { totpSecret } = await resetUser(station.control, user, password, systemClock, {
          newTotp: values['new-totp'] ?? false,
        });
        auditAdmin(station, `user ${user} reset${totpSecret ? ' with a new second factor' : ''}`);
        io.stdout(`User ${user} has a new password and is enabled.\n`);
        if (totpSecret) showTotp(io, user, totpSecret);
      } finally {
        station.close();
      }
      return 0;
    }
    default:
      throw new ReservError('USAGE', {
        details: ['use `reservjournal users add|list|disable|reset …`'],
      });
  }
}

/** `reservjournal totp SECRET`: the current code for a secret (for the demo accounts). */
export function runTotp(args: string[], io: CliIo): number {
  const { positionals } = parse(args, {}, 1);
  const secret = requireOption(positionals[0], 'the TOTP secret');
  try {
    io.stdout(`${totpCode(secret, systemClock.now())}\n`);
  } catch (cause) {
    throw new ReservError('USAGE', { details: ['the secret is not valid base32'], cause });
  }
  return 0;
}
