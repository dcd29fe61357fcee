/**
 * A simulated fleet syncing from one outbox: N station data directories (default 200) fetch and
 * import their snapshots from serve-static on loopback (standing in for nginx, as in the tests),
 * first 8 at a time, then all at once, then all at once again with nothing new (304s).
 *
 * Baseline, in the same run: the same stations' files fetched plainly (index.json, then the file
 * with fetch into a file), no conditional request, no resume bookkeeping, no hash, no import.
 *
 * Every station is a separate data directory in this one process; real stations import on
 * their own machines, so imports here go through a limiter as wide as this machine's cores
 * while every download runs at the concurrency asked for. "Link" time is a station's time
 * until its download is verified (index, heartbeat, download, SHA-256); "sync" adds the import.
 *
 * Usage: node --import tsx bench/fleet.ts [stations] [people-per-unit-group]   (200, 20)
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { importFile } from '../src/cli/commands/station.ts';
import { createExporterKeys } from '../src/cli/commands/snapshot.ts';
import type { CliIo } from '../src/cli/io.ts';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/log.ts';
import { generate } from '../src/generate/generate.ts';
import { syncOnce } from '../src/link/sync.ts';
import { buildSnapshot } from '../src/snapshot/build.ts';
import { loadPrivateKey, loadPublicKey } from '../src/snapshot/keys.ts';
import { initStation, openStation } from '../src/station/station.ts';
import { stationPaths } from '../src/store/station-files.ts';
import { publish, serveOutbox } from '../test/helpers/outbox.ts';

const STATIONS = Number(process.argv[2] ?? 200);
const PEOPLE = Number(process.argv[3] ?? 20);
const GROUPS = 4; // "a handful of units" shared by many stations

const work = mkdtempSync(path.join(tmpdir(), 'rj-bench-fleet-'));
const io: CliIo = {
  cwd: work,
  env: {},
  stdout: () => {},
  stderr: () => {},
  interactive: false,
  stopped: new Promise(() => {}),
  readSecret: () => Promise.resolve(''),
};

function limiter(width: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (job) => {
    if (running >= width) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Row {
  name: string;
  concurrency: string;
  errors: number;
  totalS: number;
  linkMs: number[];
  syncMs: number[];
}

const ms = (n: number) => `${Math.round(n)} ms`;

async function main(): Promise<void> {
  const started = performance.now();
  createExporterKeys(path.join(work, 'exporter'));
  const signKey = loadPrivateKey(path.join(work, 'exporter', 'exporter.key'), 'ed25519');
  const exporterPem = readFileSync(path.join(work, 'exporter', 'exporter.pub'), 'utf8');
  const stations: { name: string; dataDir: string; key: KeyObject; group: number }[] = [];
  for (let i = 0; i < STATIONS; i++) {
    const name = `station-${String(i).padStart(3, '0')}`;
    const dataDir = path.join(work, 'stations', name);
    initStation({ dataDir, trustExporterPem: exporterPem, name, clock: systemClock });
    const key = loadPublicKey(stationPaths(dataDir).stationPub, 'x25519');
    stations.push({ name, dataDir, key, group: i % GROUPS });
  }
  const outbox = path.join(work, 'outbox');
  const snapshots = new Map<string, string>();
  for (let g = 0; g < GROUPS; g++) {
    const source = path.join(work, `export-${g}`);
    generate({ people: PEOPLE, seed: `fleet-${g}`, outDir: source });
    const recipients = stations.filter((s) => s.group === g).map((s) => s.key);
    for (const sequence of [1, 2]) {
      const out = path.join(work, `group-${g}-${sequence}.rjsnap`);
      await buildSnapshot({
        sourceDir: source,
        sequence,
        signKey,
        signPublicKey: createPublicKey(signKey),
        recipients,
        outFile: out,
        clock: systemClock,
      });
      snapshots.set(`${g}/${sequence}`, out);
    }
  }
  const publishAll = (sequence: number) => {
    for (const s of stations) publish(outbox, s.name, snapshots.get(`${s.group}/${sequence}`)!);
  };
  publishAll(1);
  const server = await serveOutbox(outbox);
  const setupS = (performance.now() - started) / 1000;
  const importSlots = limiter(availableParallelism());

  async function fleet(
    name: string,
    width: number,
    one: (s: (typeof stations)[number]) => Promise<{ linkMs: number; ok: boolean }>,
  ): Promise<Row> {
    const limit = limiter(width);
    const linkMs: number[] = [];
    const syncMs: number[] = [];
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      stations.map((s) =>
        limit(async () => {
          const t = performance.now();
          try {
            const r = await one(s);
            if (!r.ok) errors++;
            linkMs.push(r.linkMs);
          } catch {
            errors++;
          }
          syncMs.push(performance.now() - t);
        }),
      ),
    );
    linkMs.sort((a, b) => a - b);
    syncMs.sort((a, b) => a - b);
    const row = {
      name,
      concurrency: width >= STATIONS ? `all ${STATIONS}` : String(width),
      errors,
      totalS: (performance.now() - t0) / 1000,
      linkMs,
      syncMs,
    };
    process.stderr.write(
      `${name} (${row.concurrency}): ${row.totalS.toFixed(1)} s, ${errors} errors\n`,
    );
    return row;
  }

  const baseline = (s: (typeof stations)[number]) => async () => {
    const t = performance.now();
    const index = (await (await fetch(`${server.url}stations/${s.name}/index.json`)).json()) as {
      file: string;
    };
    const body = await (await fetch(`${server.url}stations/${s.name}/${index.file}`)).arrayBuffer();
    writeFileSync(path.join(s.dataDir, 'baseline.rjsnap'), Buffer.from(body));
    rmSync(path.join(s.dataDir, 'baseline.rjsnap'));
    return { linkMs: performance.now() - t, ok: body.byteLength > 0 };
  };

  const sync =
    (expect: 'imported' | 'up-to-date') =>
    async (s: (typeof stations)[number]): Promise<{ linkMs: number; ok: boolean }> => {
      const config = loadConfig({ cwd: work, env: {}, flags: { dataDir: s.dataDir } });
      const station = openStation(s.dataDir);
      const t = performance.now();
      let linkMs = 0;
      try {
        const result = await syncOnce(
          station,
          { from: server.url, timeoutSeconds: 120, cwd: work },
          {
            clock: systemClock,
            log: silentLogger,
            sleep: (n) => new Promise((r) => setTimeout(r, n)),
            importFile: (file) => {
              linkMs = performance.now() - t;
              return importSlots(() => importFile(config, file, io, silentLogger));
            },
          },
        );
        if (expect === 'up-to-date') linkMs = performance.now() - t;
        return { linkMs, ok: result.outcome === expect };
      } finally {
        station.close();
      }
    };

  const rows: Row[] = [];
  rows.push(await fleet('baseline: fetch index + file', 8, (s) => baseline(s)()));
  rows.push(await fleet('sync (imports sequence 1)', 8, sync('imported')));
  publishAll(2);
  rows.push(await fleet('baseline: fetch index + file', STATIONS, (s) => baseline(s)()));
  rows.push(await fleet('sync (imports sequence 2)', STATIONS, sync('imported')));
  rows.push(await fleet('sync again (nothing new: 304)', STATIONS, sync('up-to-date')));
  await server.close();

  const base8 = rows[0]!;
  const baseAll = rows[2]!;
  const lines = [
    `${STATIONS} stations, ${GROUPS} unit groups of ${PEOPLE} people, snapshot ${(readFileSync(snapshots.get('0/1')!).length / 1024).toFixed(0)} KiB; set-up ${setupS.toFixed(0)} s; imports limited to ${availableParallelism()} at a time`,
    '',
    '| run | concurrency | errors | total | link p50 | link p99 | per-station p50 | per-station p99 | total ÷ baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const base = r.concurrency === '8' ? base8 : baseAll;
      return `| ${r.name} | ${r.concurrency} | ${r.errors} | ${r.totalS.toFixed(1)} s | ${ms(pct(r.linkMs, 50))} | ${ms(pct(r.linkMs, 99))} | ${ms(pct(r.syncMs, 50))} | ${ms(pct(r.syncMs, 99))} | ${(r.totalS / base.totalS).toFixed(1)}× |`;
    }),
  ];
  // eslint-disable-next-line no-console -- a benchmark prints its table
  console.log(lines.join('\n'));
  const errors = rows.reduce((n, r) => n + r.errors, 0);
  if (errors > 0) process.exitCode = 1;
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
