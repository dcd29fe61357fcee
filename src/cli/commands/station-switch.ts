/** `station switch`: make a kept snapshot active again (see src/snapshot/switch.ts). */
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { switchSnapshot } from '../../snapshot/switch.ts';
import { stationAudit } from '../../station/access.ts';
import { openStation } from '../../station/station.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { loggerFor, stationConfig } from './station.ts';

export function runStationSwitch(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    ...STATION_OPTIONS,
    previous: { type: 'boolean' },
    to: { type: 'string' },
    reason: { type: 'string' },
  });
  if ((values.previous === true) === (values.to !== undefined))
    throw new ReservError('USAGE', {
      details: ['give either --previous or --to SNAPSHOT_ID (see `reservjournal status`)'],
    });
  const reason = requireOption(values.reason?.trim(), '--reason');
  const config = stationConfig(values, io);
  const log = loggerFor(config, io);
  const result = switchSnapshot(
    config.dataDir,
    values.previous ? { previous: true } : { snapshotId: values.to! },
    { clock: systemClock, log },
  );
  // The switch changes what every screen and printout shows: it belongs in the audit log. The
  // switch has happened by now; if the audit store is unavailable the command says so.
  const station = openStation(config.dataDir);
  try {
    const audit = stationAudit(station, systemClock, log);
    try {
      audit.append([
        {
          action: 'admin',
          user: 'cli',
          role: 'admin',
          outcome: 'success',
          snapshotId: result.to.snapshotId,
          reason: `switched the active snapshot from sequence ${result.from?.sequence ?? 'none'} to ${result.to.sequence}: ${reason}`,
        },
      ]);
    } finally {
      audit.close();
    }
  } finally {
    station.close();
  }
  io.stdout(
    `Snapshot ${result.to.snapshotId} (sequence ${result.to.sequence}) is active again` +
      (result.from
        ? `; sequence ${result.from.sequence} is kept and can be switched back to.\n`
        : '.\n'),
  );
  return 0;
}
