/**
 * The web server's view of "the active snapshot" on a station, switching without a restart.
 *
 * At the start of every request the source reads the active snapshot id from the control
 * database (one indexed row) and hands the request that snapshot's open database; the request
 * uses only it, so no response mixes two snapshots (I1). When an import commits a new snapshot,
 * the next request opens the new database; the old handle is closed once no request holds it.
 */
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
  close(): void;
}

export function stationSnapshotSource(station: Station): StationSnapshotSource {
  const activeId = station.control
    .prepare('SELECT active_snapshot_id AS id FROM station WHERE singleton = 1')
    .pluck();
  let current: Held | undefined;
  const open = new Set<Held>();

  const release = (held: Held) => {
    held.users--;
    if (held.retired && held.users === 0) {
      held.snapshot.db.close();
      open.delete(held);
    }
  };

  return {
    current() {
      const id = activeId.get() as string | null;
      if (id === null) return undefined;
      if (current?.id !== id) {
        const db: Db = openEncrypted(station.paths.snapshot(id), station.dbKey, { readonly: true });
        const next: Held = {
          id,
          snapshot: { db, info: snapshotInfo(db) },
          users: 0,
          retired: false,
        };
        if (current) {
          current.retired = true;
          if (current.users === 0) {
            current.snapshot.db.close();
            open.delete(current);
          }
        }
        current = next;
        open.add(next);
      }
      const held = current;
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
    },
    close() {
      for (const h of open) h.snapshot.db.close();
      open.clear();
      current = undefined;
    },
  };
}
