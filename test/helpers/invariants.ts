/**
 * The station invariants of docs/reliability (I1, I2, I7), checked on the files themselves after
 * a "restart": a fresh process would open the control database and recover leftovers first.
 */
import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { recoverStation } from '../../src/snapshot/import.ts';
import { openStation } from '../../src/station/station.ts';
import { openEncrypted } from '../../src/store/db.ts';

export interface ObservedState {
  readonly activeSequence: number | null;
  readonly lastAcceptedSequence: number;
}

export function restartAndCheck(dataDir: string): ObservedState {
  const station = openStation(dataDir);
  try {
    recoverStation(station);
    expect(station.control.pragma('integrity_check', { simple: true })).toBe('ok');
    const row = station.row();
    const active = station.control
      .prepare(
        `SELECT id, sequence, resource_count AS n, file FROM snapshot WHERE state = 'active'`,
      )
      .all() as {
      id: string;
      sequence: number;
      n: number;
      file: string;
    }[];
    expect(active.length).toBeLessThanOrEqual(1);
    const leftovers = readdirSync(station.paths.snapshotsDir).filter((f) => f.includes('.staging'));
    expect(leftovers).toEqual([]);
    if (active.length === 0) {
      expect(row.activeSnapshotId).toBeNull();
      return { activeSequence: null, lastAcceptedSequence: row.lastAcceptedSequence };
    }
    const a = active[0]!;
    // I2: the last accepted sequence moved with the active snapshot, in one transaction.
    expect(row.activeSnapshotId).toBe(a.id);
    expect(row.lastAcceptedSequence).toBe(a.sequence);
    // I1: the active snapshot is complete and intact.
    const file = station.paths.snapshot(a.id);
    expect(existsSync(file)).toBe(true);
    const db = openEncrypted(file, station.dbKey, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((db.prepare('SELECT count(*) AS n FROM resource').get() as { n: number }).n).toBe(a.n);
      expect(
        db.prepare(`SELECT value FROM snapshot_info WHERE key = 'sequence'`).pluck().get(),
      ).toBe(String(a.sequence));
    } finally {
      db.close();
    }
    // I7: every snapshot the control database keeps is on disk.
    for (const r of station.control
      .prepare(`SELECT file FROM snapshot WHERE state <> 'deleted'`)
      .pluck()
      .all() as string[])
      expect(existsSync(`${station.paths.snapshotsDir}/${r}`)).toBe(true);
    return { activeSequence: a.sequence, lastAcceptedSequence: row.lastAcceptedSequence };
  } finally {
    station.close();
  }
}
