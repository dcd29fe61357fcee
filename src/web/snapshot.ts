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
  /**
   * The copy before `current`, for "what changed": the retained snapshot with the highest
   * sequence below it, or undefined when there is none (or the source keeps no history). The
   * request releases it like the one `current()` gave it.
   */
  previous?(current: Snapshot): Snapshot | undefined;
}
