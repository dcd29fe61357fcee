/**
 * Switching the active snapshot back (or forward) to one the station has kept.
 *
 * When a new snapshot turns out to carry wrong data (an exporter mistake, a bad source pull), the
 * people on the floor need yesterday's copy now, not after the exporter is fixed. The station
 * keeps the last few complete snapshots (retention), so an administrator can make one of them
 * active again with one command.
 *
 * The same invariants as an import hold: the switch takes the import lock (no import runs at the
 * same time), the target is checked before anything changes (its file opens with the station key
 * and passes SQLite's quick_check), and the switch itself is one transaction of the control
 * database — the running web station picks the new active snapshot up at its next request, and
 * no request ever mixes two. The last accepted sequence is NOT lowered: it guards against old
 * snapshots arriving from outside, and a deliberate switch is not an arrival. So the exporter's
 * next snapshot imports as usual, and the snapshot switched away from can be made active again
 * with `--to` (importing its file again would be refused as a rollback).
 */
import { existsSync } from 'node:fs';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import { openEncrypted } from '../store/db.ts';
import { acquireImportLock } from '../station/lock.ts';
import { openStation } from '../station/station.ts';

export interface SwitchResult {
  readonly from: { snapshotId: string; sequence: number } | null;
  readonly to: { snapshotId: string; sequence: number };
}

interface Row {
  id: string;
  sequence: number;
  state: string;
}

export function switchSnapshot(
  dataDir: string,
  target: { readonly previous: true } | { readonly snapshotId: string },
  deps: { readonly clock: Clock; readonly log: Logger },
): SwitchResult {
  const station = openStation(dataDir);
  let release: (() => void) | undefined;
  try {
    release = acquireImportLock(dataDir);
    const rows = station.control
      .prepare(
        `SELECT id, sequence, state FROM snapshot WHERE state <> 'deleted' ORDER BY sequence DESC`,
      )
      .all() as Row[];
    const active = rows.find((r) => r.state === 'active');
    const kept = rows
      .filter((r) => r.state === 'retained')
      .map((r) => `${r.id} (sequence ${r.sequence})`);
    let chosen: Row | undefined;
    if ('previous' in target) {
      chosen = rows.find(
        (r) => r.state === 'retained' && (active === undefined || r.sequence < active.sequence),
      );
      if (chosen === undefined)
        throw new ReservError('USAGE', {
          details: ['there is no kept snapshot older than the active one'],
        });
    } else {
      chosen = rows.find((r) => r.id === target.snapshotId);
      if (chosen === undefined || chosen.state !== 'retained')
        throw new ReservError('USAGE', {
          details: [
            chosen?.state === 'active'
              ? `${target.snapshotId} is already the active snapshot`
              : `no kept snapshot has the id ${target.snapshotId}`,
            kept.length > 0 ? `kept snapshots: ${kept.join(', ')}` : 'no other snapshot is kept',
          ],
        });
    }
    const file = station.paths.snapshot(chosen.id);
    if (!existsSync(file))
      throw new ReservError('SNAPSHOT_CHECK_FAILED', {
        details: [`the file of snapshot ${chosen.id} is missing`],
      });
    // Check the target before anything changes: a damaged copy must not replace a good one.
    try {
      const db = openEncrypted(file, station.dbKey, { readonly: true });
      try {
        const result = db.pragma('quick_check', { simple: true });
        if (result !== 'ok')
          throw new ReservError('SNAPSHOT_CHECK_FAILED', {
            details: [`snapshot ${chosen.id}: quick_check says ${String(result).slice(0, 200)}`],
          });
      } finally {
        db.close();
      }
    } catch (error) {
      const e = toReservError(error);
      if (e.code === 'INTERNAL' || e.code === 'STORE_KEY_WRONG')
        throw new ReservError('SNAPSHOT_CHECK_FAILED', {
          details: [`snapshot ${chosen.id} cannot be read`],
          cause: error,
        });
      throw e;
    }
    const to = chosen;
    station.control.transaction(() => {
      station.control
        .prepare(`UPDATE snapshot SET state = 'retained' WHERE state = 'active'`)
        .run();
      station.control.prepare(`UPDATE snapshot SET state = 'active' WHERE id = ?`).run(to.id);
      station.control
        .prepare('UPDATE station SET active_snapshot_id = ? WHERE singleton = 1')
        .run(to.id);
    })();
    deps.log.info('snapshot.switched', {
      from: active?.sequence ?? null,
      to: to.sequence,
      at: op(deps.clock.now().toISOString()),
    });
    return {
      from: active ? { snapshotId: active.id, sequence: active.sequence } : null,
      to: { snapshotId: to.id, sequence: to.sequence },
    };
  } finally {
    release?.();
    station.close();
  }
}
