/**
 * Where a station keeps its files inside the data directory. One place, so the CLI, the import,
 * the web server and the tests agree. docs/operations.md describes the same layout.
 */
import path from 'node:path';

export function stationPaths(dataDir: string) {
  return {
    dataDir,
    stationPub: path.join(dataDir, 'station.pub'),
    keysDir: path.join(dataDir, 'keys'),
    stationKey: path.join(dataDir, 'keys', 'station.key'),
    dbKey: path.join(dataDir, 'keys', 'db.key'),
    control: path.join(dataDir, 'control.sqlite'),
    /** The audit log: its own encrypted database, append-only and hash-chained. */
    audit: path.join(dataDir, 'audit.sqlite'),
    /** Ed25519 key that signs audit checkpoints (created when first needed). */
    auditKey: path.join(dataDir, 'keys', 'audit.key'),
    auditPub: path.join(dataDir, 'audit.pub'),
    snapshotsDir: path.join(dataDir, 'snapshots'),
    snapshot: (id: string) => path.join(dataDir, 'snapshots', `${id}.sqlite`),
    staging: (id: string) => path.join(dataDir, 'snapshots', `${id}.sqlite.staging`),
  } as const;
}

export type StationPaths = ReturnType<typeof stationPaths>;
