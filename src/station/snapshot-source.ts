/**
 * The web server's view of "the active snapshot" on a station, switching without a restart.
 *
 * At the start of every request the source reads the active snapshot id from the control
 * database (one indexed row) and hands the request that snapshot's open database; the request
 * uses only it, so no response mixes two snapshots (I1). When an import commits a new snapshot,
 * the next request opens the new database; the old handle is closed once no request holds it.
 *
 * The same care covers the previous snapshot ("what changed" compares a request's snapshot with
 * the retained one just below it): the source keeps one previous handle open for reuse, and a
 * handle that is neither the current nor the previous one is closed once no request holds it.
 */
import { existsSync } from 'node:fs';
import type { Db } from '../store/db.ts';
import { openEncrypted } from '../store/db.ts';
import { snapshotInfo } from '../store/queries.ts';
import type { Snapshot, SnapshotSource } from '../web/app.ts';
import type { Station } from './station.ts';

interface Held {
  id: string;
  snapshot: Snapshot;
  users: number;
  retired: boolean;
}

export interface StationSnapshotSource extends SnapshotSource {
  previous(current: Snapshot): Snapshot | undefined;
  close(): void;
}

export function stationSnapshotSource(station: Station): StationSnapshotSource {
  const activeId = station.control
    .prepare('SELECT active_snapshot_id AS id FROM station WHERE singleton = 1')
    .pluck();
  // Deleted snapshots have no file any more; a snapshot the control database does not know
  // (sequence NULL) has no previous one.
  const previousId = station.control
    .prepare(
      `SELECT id FROM snapshot
        WHERE state = 'retained' AND sequence < (SELECT sequence FROM snapshot WHERE id = ?)
        ORDER BY sequence DESC LIMIT 1`,
    )
    .pluck();
  let current: Held | undefined;
  let previous: Held | undefined;
  const open = new Set<Held>();

  const closeHeld = (held: Held) => {
    held.snapshot.db.close();
    open.delete(held);
  };

  const release = (held: Held) => {
    held.users--;
    if (held.retired && held.users === 0) closeHeld(held);
  };

  /** A handle that is neither current nor previous is closed now, or by its last user. */
  const retire = (held: Held) => {
    if (held === current || held === previous) return;
    held.retired = true;
    if (held.users === 0) closeHeld(held);
  };

  /** The open handle of snapshot `id` (even one a request still holds), else a new one. */
  const acquire = (id: string): Held => {
    for (const h of open) {
      if (h.id === id) {
        h.retired = false;
        return h;
      }
    }
    const db: Db = openEncrypted(station.paths.snapshot(id), station.dbKey, { readonly: true });
    const held: Held = { id, snapshot: { db, info: snapshotInfo(db) }, users: 0, retired: false };
    open.add(held);
    return held;
  };

  const lend = (held: Held): Snapshot => {
    held.users++;
    let released = false;
    return {
      ...held.snapshot,
      release: () => {
        if (!released) {
          released = true;
          release(held);
        }
      },
    };
  };

  return {
    current() {
      const id = activeId.get() as string | null;
      if (id === null) return undefined;
      if (current?.id !== id) {
        const next = acquire(id);
        const old = current;
        current = next;
        if (old) retire(old);
      }
      return lend(current);
    },
    previous(of) {
      const id = previousId.get(of.info.snapshotId) as string | undefined;
      let next: Held | undefined = id !== undefined && previous?.id === id ? previous : undefined;
      if (id !== undefined && next === undefined) {
        try {
          next = acquire(id);
        } catch (error) {
          // Retention removed it between the query and the open: there is no previous copy.
          if (existsSync(station.paths.snapshot(id))) throw error;
        }
      }
      if (next !== previous) {
        const old = previous;
        previous = next;
        if (old) retire(old);
      }
      return next && lend(next);
    },
    close() {
      for (const h of open) h.snapshot.db.close();
      open.clear();
      current = undefined;
      previous = undefined;
    },
  };
}
