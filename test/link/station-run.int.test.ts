/**
 * `reservjournal station run` end to end, as a real child process: it serves the station, syncs
 * at start and on its schedule, keeps serving and says so when the outbox cannot be reached, picks
 * up a newly published snapshot without a restart, and stops cleanly on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStation } from '../../src/station/station.ts';
import { appendCommand } from '../helpers/alert-hooks.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { publish } from '../helpers/outbox.ts';
import type { TestStationDir } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { harness, outbox, syncEvents, type Harness, type Outbox } from './harness.ts';

const root = tempDir('link-run');
const NAME = 'nattstation-4';
let h: Harness;
let box: Outbox;
let station: TestStationDir;

beforeAll(async () => {
  h = harness(root);
  box = await outbox(path.join(root, 'outbox'));
  station = h.station(NAME);
});
afterAll(() => box.close());

function lastAccepted(): number {
  const s = openStation(station.dataDir);
  try {
    return s.row().lastAcceptedSequence;
  } finally {
    s.close();
  }
}

/** Poll until `check` holds; the limit only guards against a hang, it is not a measurement. */
async function until(what: string, check: () => boolean, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('station run', () => {
  it('serves, syncs on its schedule, keeps serving with the outbox down, and picks up a new snapshot', async () => {
    publish(box.dir, NAME, await h.snapshot(station, 1));
    const second = await h.snapshot(station, 2);
    const run = await startCli(
      ['station', 'run', '--data-dir', station.dataDir, '--from', box.url, '--port', '0'],
      { env: { RESERVJOURNAL_SYNC_INTERVAL_MS: '200', RESERVJOURNAL_SYNC_RETRY_MS: '20' } },
    );
    try {
      expect(run.output().stdout).toContain(`syncs from ${box.url}`);
      await until('sequence 1 is imported', () => lastAccepted() === 1);

      // The outbox goes away: every connection is dropped.
      box.proxy.set({ kind: 'refuse' });
      await until('a failed sync is recorded', () =>
        syncEvents(station).some((e) => e.outcome === 'unreachable'),
      );
      const page = await fetch(run.url, { redirect: 'manual' });
      expect(page.status).toBeLessThan(500);
      const status = await runCli(['status', '--json', '--data-dir', station.dataDir]);
      expect(status.code).toBe(0);
      const json = JSON.parse(status.stdout) as {
        active: { sequence: number };
        link: { lastOutcome: string; lastCode: string; lastSuccessAt: string | null };
      };
      expect(json.active.sequence).toBe(1);
      expect(json.link).toMatchObject({ lastOutcome: 'unreachable', lastCode: 'SYNC_UNREACHABLE' });
      expect(json.link.lastSuccessAt).not.toBeNull();

      // The outbox is back with a new snapshot: taken without a restart.
      box.proxy.set({ kind: 'pass' });
      publish(box.dir, NAME, second);
      await until('sequence 2 is imported', () => lastAccepted() === 2);
      expect((await fetch(run.url, { redirect: 'manual' })).status).toBeLessThan(500);
    } finally {
      expect(await run.stop()).toBe(0);
    }
    const { stderr } = run.output();
    expect(stderr).toContain('"event":"sync.imported"');
    expect(stderr).toContain('"event":"sync.failed"');
    expect(stderr).toContain('"event":"serve.stopped"');
  });
});

describe('reservjournal sync', () => {
  it('imports, then says it is up to date, one line each, exit 0', async () => {
    const s = h.station('nattstation-5');
    publish(box.dir, 'nattstation-5', await h.snapshot(s, 1));
    const first = await runCli(['sync', '--data-dir', s.dataDir, '--from', box.url]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported snapshot sequence 1 from .*; it is now active\.\n$/);
    const second = await runCli(['sync', '--data-dir', s.dataDir, '--from', box.url]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Up to date: sequence 1 is the newest in /);
  });

  it('fails with SYNC_UNREACHABLE, its next step and exit code 69 when the outbox is down', async () => {
    box.proxy.set({ kind: 'refuse' });
    try {
      const r = await runCli(['sync', '--data-dir', station.dataDir, '--from', box.url], {
        env: { RESERVJOURNAL_SYNC_RETRY_MS: '10' },
      });
      expect(r.code).toBe(69);
      expect(r.stderr).toContain('SYNC_UNREACHABLE');
      expect(r.stderr).toContain('Next step: The station keeps serving its current data.');
      // The plain status names the failed sync and the last good one for a person at a console.
      const status = await runCli(['status', '--data-dir', station.dataDir]);
      expect(status.stdout).toMatch(
        /Link: last sync \S+ unreachable \(SYNC_UNREACHABLE\); last good sync 20/,
      );
      expect(status.stdout).toMatch(/exporter heartbeat [\d.]+ h old/);
    } finally {
      box.proxy.set({ kind: 'pass' });
    }
  });

  it('alerts after a sync run from cron as after one in station run', async () => {
    // A station the outbox has nothing for: the sync fails, and the station holds no data.
    const lonely = h.station('ingen-utkorg');
    const alerts = appendCommand(root, 'cron-alerts');
    writeFileSync(
      path.join(lonely.dataDir, 'config.json'),
      JSON.stringify({ alert: { command: alerts.command } }),
    );
    const r = await runCli(['sync', '--data-dir', lonely.dataDir, '--from', box.url]);
    expect(r.stderr).toContain('SYNC_INDEX_INVALID');
    const sent = alerts.received();
    expect(sent).toContainEqual(
      expect.objectContaining({ kind: 'station-stale', state: 'firing', severity: 'critical' }),
    );
  });

  it('refuses to run without an outbox (USAGE)', async () => {
    const r = await runCli(['sync', '--data-dir', station.dataDir], {
      env: { RESERVJOURNAL_SYNC_FROM: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no outbox to sync from');
  });
});
