/**
 * Where a station keeps its files inside the data directory. One place, so the CLI, the demo
 * and the tests agree.
 */
import path from 'node:path';

export function stationPaths(dataDir: string) {
  return {
    dataDir,
    database: path.join(dataDir, 'station.sqlite'),
    demoExport: path.join(dataDir, 'demo-export'),
  } as const;
}
