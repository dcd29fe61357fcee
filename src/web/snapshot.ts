/** How the web app reaches the active snapshot (see station/snapshot-source.ts). */
import type { Db } from '../store/db.ts';
import type { SnapshotInfo } from '../store/queries.ts';

export interface Snapshot {
  readonly db: Db;
  readonly info: SnapshotInfo;
  /** Called when the request that took this snapshot is finished with it. */
  readonly release?: () => void;
}

/** Where the app gets the active snapshot from; undefined while none is loaded. */
export interface SnapshotSource {
  current(): Snapshot | undefined;
}
