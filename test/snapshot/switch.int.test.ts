/**
 * A5: readers during switches. A real server serves a station while real `reservjournal import`
 * processes switch it from snapshot to snapshot; every response must come whole from exactly
 * one snapshot (its header names it and its content matches it) and none may fail.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import {
  stationSnapshotSource,
  type StationSnapshotSource,
} from '../../src/station/snapshot-source.ts';
import { openStation, type Station } from '../../src/station/station.ts';
import { createApp } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { stationAccess } from '../../src/station/access.ts';
import { allUnits, createTestUser, signIn, type Client } from '../helpers/access.ts';
import { BIN } from '../helpers/cli.ts';
import {
  build,
  importInto,
  makeExporter,
  makeStation,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('switch');
const SNAPSHOTS = 6;
const files: { file: string; transactionTime: string }[] = [];
let station: TestStationDir;
let open: Station;
let source: StationSnapshotSource;
let server: RunningServer;
let patientId: string;
let access: ReturnType<typeof stationAccess>;
let client: Client;

beforeAll(async () => {
  const exporter = makeExporter(path.join(root, 'exporter'));
  station = makeStation(path.join(root, 'station'), exporter);
  for (let seq = 1; seq <= SNAPSHOTS; seq++) {
    // Same people, a different export time per snapshot: the banner tells snapshots apart.
    const transactionTime = new Date(Date.UTC(2026, 10, 20 + seq, 5)).toISOString();
    const dir = path.join(root, `export-${seq}`);
    generate({ people: 40, seed: 'switch', outDir: dir, asOf: transactionTime });
    files.push({
      file: await build({
        sourceDir: dir,
        sequence: seq,
        exporter,
        recipients: [station.publicKey],
        out: path.join(root, `s${seq}.rjsnap`),
      }),
      transactionTime,
    });
    if (seq === 1)
      patientId = (
        JSON.parse(
          (await import('node:fs'))
            .readFileSync(path.join(dir, 'Patient.ndjson'), 'utf8')
            .split('\n')[0]!,
        ) as { id: string }
      ).id;
  }
  await importInto(station, files[0]!.file);
  open = openStation(station.dataDir);
  source = stationSnapshotSource(open);
  const config = loadConfig({ cwd: root, env: {}, flags: { dataDir: station.dataDir, port: '0' } });
  access = stationAccess(open, systemClock);
  const first = source.current()!;
  const nurse = await createTestUser(open.control, systemClock, {
    name: 'nurse',
    role: 'nurse',
    units: allUnits(first.db),
  });
  first.release?.();
  server = await startServer(
    createApp({ config, clock: systemClock, log: silentLogger, snapshots: source, access }),
    config.host,
    0,
  );
  client = await signIn(server.url, nurse);
}, 120_000);

afterAll(async () => {
  await server?.close();
  access?.close();
  source?.close();
  open?.close();
});

function importProcess(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [BIN, 'import', file, '--data-dir', station.dataDir, '--log-level', 'silent'],
      { stdio: 'ignore' },
    );
    child.on('close', (code) => resolve(code));
  });
}

describe('A5: readers while imports switch snapshots', () => {
  it('never mixes two snapshots in one response and never fails a request', async () => {
    const byId = new Map<string, string>();
    let importing = true;
    const seen = new Set<string>();
    let responses = 0;
    const problems: string[] = [];
    const reader = async () => {
      while (importing) {
        for (const url of ['/', `/boende/${patientId}`]) {
          const res = await client.get(url);
          const body = await res.text();
          responses++;
          if (res.status !== 200) problems.push(`${url}: ${res.status}`);
          const id = res.headers.get('x-reservjournal-snapshot') ?? '';
          const m = /<time datetime="([^"]+)"/.exec(body);
          seen.add(id);
          if (!byId.has(id) && m) byId.set(id, m[1]!);
          if (m?.[1] !== byId.get(id))
            problems.push(`snapshot ${id} answered with data as of ${m?.[1]}`);
        }
      }
    };
    const readers = Array.from({ length: 10 }, reader);
    for (const { file } of files.slice(1)) expect(await importProcess(file)).toBe(0);
    importing = false;
    await Promise.all(readers);
    expect(problems).toEqual([]);
    expect(responses).toBeGreaterThan(50);
    // The readers saw several snapshots, each with its own export time, ending with the newest.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(new Set(byId.values()).size).toBe(byId.size);
    const last = await client.get('/');
    expect(await last.text()).toContain(`datetime="${files[SNAPSHOTS - 1]!.transactionTime}"`);
  }, 300_000);
});
