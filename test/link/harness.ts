/**
 * Shared set-up for the link tests: an exporter, a small generated export, stations, snapshots
 * built for them, an outbox on disk served by serve-static behind the test proxy, and `sync`
 * run in-process with the real audited importFile.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { importFile } from '../../src/cli/commands/station.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { loadConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { createLogger, type Logger } from '../../src/core/log.ts';
import type { RetryPolicy } from '../../src/link/download.ts';
import { syncOnce, type SyncResult } from '../../src/link/sync.ts';
import { openStation } from '../../src/station/station.ts';
import { serveOutbox, startProxy, type Proxy, type Served } from '../helpers/outbox.ts';
import {
  build,
  generatedSource,
  makeExporter,
  makeStation,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';

export const quietIo = (cwd: string): CliIo => ({
  cwd,
  env: {},
  stdout: () => {},
  stderr: () => {},
  interactive: false,
  stopped: new Promise(() => {}),
  readSecret: () => Promise.resolve(''),
});

export interface Harness {
  readonly root: string;
  readonly exporter: Exporter;
  readonly source: string;
  station(name: string): TestStationDir;
  snapshot(station: TestStationDir, sequence: number): Promise<string>;
}

export function harness(root: string, people = 12): Harness {
  const exporter = makeExporter(path.join(root, 'exporter'));
  const source = generatedSource(path.join(root, 'export'), people, 'link');
  let n = 0;
  return {
    root,
    exporter,
    source,
    station: (name) => makeStation(path.join(root, `station-${++n}`), exporter, { name }),
    snapshot: async (station, sequence) => {
      const dir = path.join(root, 'built');
      mkdirSync(dir, { recursive: true });
      return build({
        sourceDir: source,
        sequence,
        exporter,
        recipients: [station.publicKey],
        out: path.join(dir, `${path.basename(station.dataDir)}-${sequence}-${++n}.rjsnap`),
      });
    },
  };
}

export interface Outbox {
  readonly dir: string;
  readonly server: Served;
  readonly proxy: Proxy;
  /** The address stations sync from: the proxy in front of serve-static. */
  readonly url: string;
  close(): Promise<void>;
}

export async function outbox(dir: string): Promise<Outbox> {
  mkdirSync(dir, { recursive: true });
  const server = await serveOutbox(dir);
  const proxy = await startProxy(server);
  return {
    dir,
    server,
    proxy,
    url: proxy.url,
    close: async () => {
      await proxy.close();
      await server.close();
    },
  };
}

export interface SyncRun {
  readonly result: SyncResult;
  readonly waits: number[];
  readonly log: string[];
}

/** One sync in-process, as `reservjournal sync` runs it; back-off waits are recorded, not slept. */
export async function sync(
  station: TestStationDir,
  from: string,
  options: {
    retry?: RetryPolicy;
    signal?: AbortSignal;
    timeoutSeconds?: number;
    /** Runs in place of each back-off wait: the moment between a failure and its retry. */
    onSleep?: (ms: number) => void | Promise<void>;
  } = {},
): Promise<SyncRun> {
  const waits: number[] = [];
  const lines: string[] = [];
  const log: Logger = createLogger({ level: 'debug', sink: (l) => lines.push(l) });
  const config = loadConfig({ cwd: station.dataDir, env: {}, flags: { dataDir: station.dataDir } });
  const s = openStation(station.dataDir);
  try {
    const result = await syncOnce(
      s,
      { from, timeoutSeconds: options.timeoutSeconds ?? 10, cwd: station.dataDir },
      {
        clock: fixedClock('2026-11-27T09:00:00Z'),
        log,
        sleep: async (ms) => {
          waits.push(ms);
          await options.onSleep?.(ms);
        },
        importFile: (file) => importFile(config, file, quietIo(station.dataDir), log),
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    return { result, waits, log: lines };
  } finally {
    s.close();
  }
}

/** The sync_event rows, oldest first. */
export function syncEvents(station: TestStationDir): Record<string, unknown>[] {
  const s = openStation(station.dataDir);
  try {
    return s.control.prepare('SELECT * FROM sync_event ORDER BY pk').all() as Record<
      string,
      unknown
    >[];
  } finally {
    s.close();
  }
}

export function linkState(station: TestStationDir): Record<string, unknown> | undefined {
  const s = openStation(station.dataDir);
  try {
    return s.control.prepare('SELECT * FROM link_state').get() as
      Record<string, unknown> | undefined;
  } finally {
    s.close();
  }
}
