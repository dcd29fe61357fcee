/**
 * `reservjournal access grant|list|revoke`: emergency codes from the command line, for the
 * on-call manager who is at the station's keyboard or on the phone with the person who is.
 * The unit is checked against the active snapshot; issuing and revoking are audited.
 */
import {
  grantEmergencyCode,
  listEmergencyCodes,
  revokeEmergencyCode,
} from '../../auth/emergency.ts';
import { covers } from '../../auth/policy.ts';
import { getUser } from '../../auth/users.ts';
import { unitFacts } from '../../store/units.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { stationAudit } from '../../station/access.ts';
import { stationSnapshotSource } from '../../station/snapshot-source.ts';
import { openStation } from '../../station/station.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { stationConfig } from './station.ts';

const OPTIONS = {
  ...STATION_OPTIONS,
  unit: { type: 'string' },
  hours: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  for: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function runAccess(args: string[], io: CliIo): number {
  const [verb, ...rest] = args;
  const { values, positionals } = parse(rest, OPTIONS, 1);
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  const audit = () => stationAudit(station, systemClock);
  try {
    switch (verb) {
      case 'grant': {
        const hoursText = requireOption(values.hours, '--hours');
        if (!/^\d+(\.\d+)?$/.test(hoursText))
          throw new ReservError('EMERGENCY_CODE_INVALID', {
            details: ['--hours must be a number'],
          });
        const source = stationSnapshotSource(station);
        const snapshot = source.current();
        try {
          const unitId = requireOption(values.unit, '--unit');
          const { code, row } = grantEmergencyCode(
            station.control,
            {
              unitId,
              hours: Number(hoursText),
              reason: requireOption(values.reason, '--reason'),
              by: requireOption(values.by, '--by'),
              forPerson: values.for,
            },
            systemClock,
            // As in the web page: a unit of this snapshot that the on-call manager answers for.
            (id) => {
              const by = getUser(station.control, values.by ?? '');
              if (!snapshot || !by) return false;
              if (snapshot.db.prepare('SELECT 1 FROM unit WHERE id = ?').get(id) === undefined)
                return false;
              return covers(new Set(by.units), unitFacts(snapshot.db, id)!);
            },
          );
          const log = audit();
          try {
            log.append([
              {
                action: 'emergency',
                outcome: 'success',
                user: row.issuedBy,
                role: getUser(station.control, row.issuedBy)?.role ?? 'oncall',
                unit: row.unitId,
                reason: `code ${row.id} issued until ${row.validUntil}${row.forPerson ? ` for ${row.forPerson}` : ''}: ${row.reason}`,
                ...(snapshot ? { snapshotId: snapshot.info.snapshotId } : {}),
              },
            ]);
          } finally {
            log.close();
          }
          io.stdout(
            `Emergency code for unit ${row.unitId}: ${code}\n` +
              `  Valid until ${row.validUntil}${row.forPerson ? ` for ${row.forPerson}` : ''} (reference ${row.id}).\n` +
              '  The holder signs in with this code and their own name. It is shown only now.\n',
          );
          return 0;
        } finally {
          snapshot?.release?.();
          source.close();
        }
      }
      case 'list': {
        const codes = listEmergencyCodes(station.control, systemClock.now());
        if (values.json) io.stdout(JSON.stringify(codes, null, 2) + '\n');
        else if (codes.length === 0) io.stdout('No emergency codes in the last 24 hours.\n');
        else
          for (const c of codes)
            io.stdout(
              `${c.id}\t${c.unitId}\tuntil ${c.validUntil}\tby ${c.issuedBy}\t${c.revokedAt ? 'revoked' : c.holder ? `used by ${c.holder}` : 'unused'}\t${c.reason}\n`,
            );
        return 0;
      }
      case 'revoke': {
        const id = requireOption(positionals[0], 'the code reference');
        const by = requireOption(values.by, '--by');
        const revoker = getUser(station.control, by);
        if (!revoker || revoker.disabledAt !== null || !['oncall', 'admin'].includes(revoker.role))
          throw new ReservError('EMERGENCY_CODE_INVALID', {
            details: ['--by must name an active user with the role oncall or admin'],
          });
        if (!revokeEmergencyCode(station.control, id, by, systemClock))
          throw new ReservError('EMERGENCY_CODE_INVALID', {
            details: [`no active code with reference ${id}`],
          });
        const log = audit();
        try {
          log.append([
            { action: 'emergency', outcome: 'success', user: by, reason: `code ${id} revoked` },
          ]);
        } finally {
          log.close();
        }
        io.stdout(
          `Emergency code ${id} revoked; sessions opened with it end at their next click.\n`,
        );
        return 0;
      }
      default:
        throw new ReservError('USAGE', {
          details: ['use `reservjournal access grant|list|revoke …`'],
        });
    }
  } finally {
    station.close();
  }
}
