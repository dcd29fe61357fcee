/**
 * `reservjournal print unit-pack --data-dir D --unit U --user USER --out FILE.pdf [--hours H]`:
 * the unit pack without a browser, for a station whose screen is broken or for a scheduled
 * printout. It follows the web route exactly: the named account's role and units (narrowed by
 * the roster) decide, one `print` entry per resident is committed first, and every page carries
 * the audit reference. The file is written beside its target and renamed into place.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { authorize } from '../../auth/policy.ts';
import { accountSubject } from '../../auth/subject.ts';
import { getUser } from '../../auth/users.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError, toReservError } from '../../core/errors.ts';
import { sv } from '../../i18n/messages.ts';
import { renderUnitPack } from '../../print/unit-pack.ts';
import { stationAudit } from '../../station/access.ts';
import { stationSnapshotSource } from '../../station/snapshot-source.ts';
import { openStation } from '../../station/station.ts';
import { getUnit } from '../../store/queries.ts';
import { unitFacts } from '../../store/units.ts';
import { buildResidentView, type ResidentView } from '../../views/resident.ts';
import { buildUnitView } from '../../views/unit.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { stationConfig } from './station.ts';

const OPTIONS = {
  ...STATION_OPTIONS,
  unit: { type: 'string' },
  user: { type: 'string' },
  out: { type: 'string' },
  hours: { type: 'string' },
} as const;

export async function runPrint(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'unit-pack')
    throw new ReservError('USAGE', { details: ['use `reservjournal print unit-pack …`'] });
  const { values } = parse(rest, OPTIONS);
  const unitId = requireOption(values.unit, '--unit');
  const userName = requireOption(values.user, '--user');
  const out = path.resolve(io.cwd, requireOption(values.out, '--out'));
  const hours = Number(values.hours ?? '72');
  if (hours !== 24 && hours !== 48 && hours !== 72)
    throw new ReservError('USAGE', { details: ['--hours must be 24, 48 or 72'] });
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  const source = stationSnapshotSource(station);
  const snapshot = source.current();
  try {
    if (!snapshot) throw new ReservError('STORE_NO_DATA');
    const db = snapshot.db;
    const user = getUser(station.control, userName);
    if (!user) throw new ReservError('USER_NOT_FOUND');
    const unit = getUnit(db, unitId);
    if (!unit) throw new ReservError('NOT_FOUND', { details: [`no unit ${unitId} in this copy`] });
    const subject = accountSubject(user, db);
    const decision = subject.ok
      ? authorize(subject.subject, 'residents', 'print', { unit: unitFacts(db, unit.id) })
      : undefined;
    const audit = stationAudit(station, systemClock);
    try {
      const base = { user: user.name, role: user.role, snapshotId: snapshot.info.snapshotId };
      if (!decision?.allow) {
        audit.append([
          {
            ...base,
            action: 'denied',
            outcome: 'denied',
            unit: unit.id,
            reason: 'print unit pack (command line)',
          },
        ]);
        throw new ReservError('ACCESS_DENIED', {
          details: [`${user.name} may not print unit ${unit.id}`],
        });
      }
      const now = systemClock.now();
      const options = { now, timeZone: config.timeZone };
      const unitView = buildUnitView(db, unit.id, options)!;
      const residents = unitView.residents
        .map((p) => buildResidentView(db, p.id, options))
        .filter((v): v is ResidentView => v !== undefined);
      const reason = 'unit-pack';
      // Audit before disclosure: the entries are committed before the file is written.
      const entries = audit.append(
        residents.length > 0
          ? residents.map((v) => ({
              ...base,
              action: 'print' as const,
              outcome: 'success' as const,
              patient: v.patient.id,
              resources: [`Patient/${v.patient.id}`],
              ...(v.patient.identValue ? { patientIdent: v.patient.identValue } : {}),
              unit: unit.id,
              reason,
            }))
          : [{ ...base, action: 'print', outcome: 'success', unit: unit.id, reason }],
      );
      const pdf = await renderUnitPack(
        {
          m: sv,
          timeZone: config.timeZone,
          transactionTime: snapshot.info.transactionTime,
          printedBy: user.displayName,
          printedAt: now,
          auditRef: entries[entries.length - 1]!.hash,
        },
        unitView,
        residents,
        { hours, from: now },
      );
      const temp = `${out}.partial`;
      try {
        writeFileSync(temp, pdf, { mode: 0o600 });
        renameSync(temp, out);
      } catch (cause) {
        rmSync(temp, { force: true });
        throw toReservError(cause);
      }
      io.stdout(
        `Wrote the unit pack for ${unit.name} (${residents.length} residents) to ${out}\n` +
          '  Backup printouts are destroyed after the outage; the print is in the audit log.\n',
      );
      return 0;
    } finally {
      audit.close();
    }
  } finally {
    snapshot?.release?.();
    source.close();
    station.close();
  }
}
