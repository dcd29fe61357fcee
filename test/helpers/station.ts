/**
 * A real station for tests: generated data loaded into a real SQLite file and served over real
 * HTTP on a free loopback port.
 */
import { request } from 'node:http';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createLogger, type Logger, silentLogger } from '../../src/core/log.ts';
import { DEFAULT_AS_OF, generate } from '../../src/generate/generate.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { snapshotInfo } from '../../src/store/queries.ts';
import { createApp, type Snapshot } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { generateKeyPair } from '../../src/snapshot/keys.ts';
import { initStation, openStation, type Station } from '../../src/station/station.ts';
import { stationAccess } from '../../src/station/access.ts';
import type { AccessDeps } from '../../src/web/access.ts';
import {
  allUnits,
  createTestUser,
  mutableClock,
  signIn,
  type Client,
  type MutableClock,
  type TestUser,
} from './access.ts';

export interface TestStation {
  readonly url: string;
  readonly db: Db;
  readonly sourceDir: string;
  readonly config: Config;
  readonly server: RunningServer;
  readonly logLines: string[];
  readonly clock: MutableClock;
  readonly station: Station;
  readonly access: AccessDeps;
  /** A nurse whose units are all units of the snapshot. */
  readonly nurse: TestUser;
  /** Signed in as `nurse`. */
  readonly client: Client;
  signIn(user: TestUser): Promise<Client>;
  stop(): Promise<void>;
}

export async function buildStationDb(dir: string, people = 120, seed = 'web'): Promise<string> {
  const sourceDir = path.join(dir, 'export');
  generate({ people, seed, outDir: sourceDir });
  await loadBulkExport({
    sourceDir,
    dbFile: path.join(dir, 'station.sqlite'),
    now: new Date(DEFAULT_AS_OF),
    log: silentLogger,
  });
  return sourceDir;
}

export async function startTestStation(
  dir: string,
  options: { clock?: MutableClock; snapshot?: 'none'; people?: number } = {},
): Promise<TestStation> {
  const sourceDir = await buildStationDb(dir, options.people);
  const db = openReadOnly(path.join(dir, 'station.sqlite'));
  const clock = options.clock ?? mutableClock('2026-11-27T08:00:00Z');
  const stationDir = path.join(dir, 'station');
  initStation({
    dataDir: stationDir,
    trustExporterPem: generateKeyPair('ed25519').publicPem,
    name: 'test',
    clock,
  });
  const station = openStation(stationDir);
  const access = stationAccess(station, clock);
  const nurse = await createTestUser(station.control, clock, {
    name: 'nurse',
    role: 'nurse',
    units: allUnits(db),
  });
  const config = loadConfig({ cwd: dir, env: {}, flags: { dataDir: dir, port: '0' } });
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: 'debug', sink: (l) => logLines.push(l) });
  const snapshot: Snapshot = { db, info: snapshotInfo(db) };
  const app = createApp({
    config,
    clock,
    log,
    snapshots: { current: () => (options.snapshot === 'none' ? undefined : snapshot) },
    access,
  });
  const server = await startServer(app, config.host, config.port);
  return {
    clock,
    station,
    access,
    nurse,
    client: await signIn(server.url, nurse, clock),
    signIn: (user) => signIn(server.url, user, clock),
    url: server.url,
    db,
    sourceDir,
    config,
    server,
    logLines,
    stop: async () => {
      await server.close();
      access.close();
      station.close();
      db.close();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control over headers (fetch does not allow setting Host). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
