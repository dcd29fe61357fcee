/**
 * `sync` against a real static file server on loopback (serve-static standing in for nginx, see
 * test/helpers/outbox.ts): conditional index reads, resumed downloads, refused and corrupted
 * files, a wrong index, a closed port, and a folder outbox.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireSyncLock } from '../../src/link/sync-lock.ts';
import { openStation } from '../../src/station/station.ts';
import { stationStatus } from '../../src/station/status.ts';
import { closedPort, publish } from '../helpers/outbox.ts';
import { statusOf, type TestStationDir } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import {
  harness,
  linkState,
  outbox,
  sync,
  syncEvents,
  type Harness,
  type Outbox,
} from './harness.ts';

const root = tempDir('link-sync');
let h: Harness;
let box: Outbox;
let station: TestStationDir;
const NAME = 'nattstation-1';

beforeAll(async () => {
  h = harness(root);
  box = await outbox(path.join(root, 'outbox'));
  station = h.station(NAME);
});
afterAll(() => box.close());

function incoming(s: TestStationDir): string[] {
  const dir = path.join(s.dataDir, 'incoming');
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('sync.lock')) : [];
}

describe('sync over HTTP', () => {
  it('imports the published snapshot on the first sync and records it', async () => {
    publish(box.dir, NAME, await h.snapshot(station, 1));
    const { result } = await sync(station, box.url);
    expect(result.error).toBeNull();
    expect(result.outcome).toBe('imported');
    expect(result.sequence).toBe(1);
    expect(result.bytes).toBeGreaterThan(0);
    expect(statusOf(station).active?.sequence).toBe(1);
    expect(incoming(station)).toEqual([]);
    const [event] = syncEvents(station);
    expect(event).toMatchObject({
      outcome: 'imported',
      sequence: 1,
      source: box.url,
      exporter_expected_interval_minutes: 720,
      exporter_grace_minutes: 60,
    });
    expect(event!.exporter_heartbeat_at).toEqual(expect.any(String));
  });

  it('answers "up to date" from a 304 on the second sync, downloading nothing', async () => {
    const before = box.proxy.seen.length;
    const { result } = await sync(station, box.url);
    expect(result.outcome).toBe('up-to-date');
    const requests = box.proxy.seen.slice(before);
    const index = requests.find((r) => r.url.endsWith('/index.json'))!;
    expect(index.ifNoneMatch).toBeDefined();
    expect(index.status).toBe(304);
    expect(requests.some((r) => r.url.endsWith('.rjsnap'))).toBe(false);
  });

  it('imports a newer published snapshot', async () => {
    publish(box.dir, NAME, await h.snapshot(station, 2));
    const { result } = await sync(station, box.url);
    expect(result).toMatchObject({ outcome: 'imported', sequence: 2 });
    expect(statusOf(station).active?.sequence).toBe(2);
  });

  it('resumes a download cut mid-way with Range and If-Range, then imports it', async () => {
    const index = publish(box.dir, NAME, await h.snapshot(station, 3));
    const cutAt = Math.floor(index.size / 3);
    box.proxy.set({ kind: 'cut', bytes: cutAt });
    const before = box.proxy.seen.length;
    const { result, waits } = await sync(station, box.url);
    expect(result.error).toBeNull();
    expect(result.outcome).toBe('imported');
    const files = box.proxy.seen.slice(before).filter((r) => r.url.endsWith('.rjsnap'));
    expect(files).toHaveLength(2);
    expect(files[0]!.range).toBeUndefined();
    expect(files[1]!.range).toBe(`bytes=${cutAt}-`);
    expect(files[1]!.ifRange).toBeDefined();
    expect(files[1]!.status).toBe(206);
    expect(result.bytes).toBe(index.size);
    expect(waits).toEqual([1000]);
    expect(statusOf(station).active?.sequence).toBe(3);
  });

  it('keeps a cut download across syncs and resumes it in the next one', async () => {
    const index = publish(box.dir, NAME, await h.snapshot(station, 4));
    const cutAt = Math.floor(index.size / 2);
    box.proxy.set({ kind: 'cut', bytes: cutAt });
    const first = await sync(station, box.url, { retry: { attempts: 1, baseDelayMs: 1 } });
    expect(first.result.outcome).toBe('unreachable');
    expect(first.result.error?.code).toBe('SYNC_UNREACHABLE');
    expect(linkState(station)).toMatchObject({
      partial_file: index.file,
      partial_size: index.size,
    });
    expect(incoming(station)).toEqual([`${path.basename(index.file)}.part`]);
    const before = box.proxy.seen.length;
    const second = await sync(station, box.url);
    expect(second.result).toMatchObject({ outcome: 'imported', sequence: 4 });
    const file = box.proxy.seen.slice(before).find((r) => r.url.endsWith('.rjsnap'))!;
    expect(file.range).toBe(`bytes=${cutAt}-`);
    expect(second.result.bytes).toBe(index.size - cutAt);
    expect(linkState(station)).toMatchObject({ partial_file: null });
    expect(incoming(station)).toEqual([]);
  });

  it('refuses a file whose bytes differ from the index and keeps serving the previous snapshot', async () => {
    const index = publish(box.dir, NAME, await h.snapshot(station, 5));
    const file = path.join(box.dir, 'stations', NAME, index.file);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
    const { result } = await sync(station, box.url);
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('SYNC_DOWNLOAD_MISMATCH');
    expect(statusOf(station).active?.sequence).toBe(4);
    expect(incoming(station)).toEqual([]);
    expect(linkState(station)).toMatchObject({ partial_file: null });
  });

  it('stops at one byte past the announced size (endless data)', async () => {
    const index = publish(box.dir, NAME, await h.snapshot(station, 6));
    appendFileSync(path.join(box.dir, 'stations', NAME, index.file), Buffer.alloc(4096));
    const { result } = await sync(station, box.url);
    expect(result.error?.code).toBe('SYNC_DOWNLOAD_MISMATCH');
    expect(result.error?.details.join(' ')).toMatch(/more than the \d+ bytes announced/);
    expect(statusOf(station).active?.sequence).toBe(4);
    expect(incoming(station)).toEqual([]);
  });

  it('refuses an index published for another station', async () => {
    const other = h.station('nattstation-9');
    const s = await h.snapshot(other, 1);
    publish(box.dir, 'nattstation-9', s);
    // The other station's index, copied into a folder under this station's name.
    const wrong = path.join(box.dir, 'stations', 'nattstation-9', 'index.json');
    const mine = h.station('nattstation-8');
    const dir = path.join(box.dir, 'stations', 'nattstation-8');
    publish(box.dir, 'nattstation-8', await h.snapshot(mine, 1));
    writeFileSync(path.join(dir, 'index.json'), readFileSync(wrong));
    const { result } = await sync(mine, box.url);
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('SYNC_INDEX_INVALID');
    expect(result.error?.details.join(' ')).toContain(
      'the index is for station "nattstation-9", this station is "nattstation-8"',
    );
    expect(statusOf(mine).active).toBeNull();
  });

  it('lets one sync run at a time: a second one stops at once with SYNC_IN_PROGRESS', async () => {
    const other = h.station('en-i-taget');
    const dir = path.join(other.dataDir, 'incoming');
    mkdirSync(dir, { recursive: true });
    const release = acquireSyncLock(dir);
    try {
      await expect(sync(other, box.url)).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
    } finally {
      release();
    }
    const { result } = await sync(other, box.url);
    expect(result.error?.code).toBe('SYNC_INDEX_INVALID');
  });

  it('names the station when the outbox has no index for it', async () => {
    const { result } = await sync(h.station('ingen-sadan'), box.url);
    expect(result.error?.code).toBe('SYNC_INDEX_INVALID');
    expect(result.error?.details.join(' ')).toContain('a station named "ingen-sadan"');
  });

  it('reports an outbox on a closed port as unreachable after bounded, growing retries', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const { result, waits } = await sync(station, url);
    expect(result.outcome).toBe('unreachable');
    expect(result.error?.code).toBe('SYNC_UNREACHABLE');
    expect(result.error?.details.join(' ')).toContain('ECONNREFUSED');
    expect(waits).toEqual([1000, 2000, 4000]);
    const s = openStation(station.dataDir);
    try {
      const status = stationStatus(s, new Date('2026-11-27T09:00:00Z'), {
        warningHours: 14,
        criticalHours: 26,
      });
      expect(status.active?.sequence).toBe(4);
      expect(status.link).toMatchObject({
        lastOutcome: 'unreachable',
        lastCode: 'SYNC_UNREACHABLE',
        source: url,
      });
      expect(status.link.lastSuccessAt).not.toBeNull();
      expect(status.link.exporterHeartbeatAt).not.toBeNull();
    } finally {
      s.close();
    }
  });

  it('fetches a snapshot that repeats the accepted sequence with another id, so the import refuses the fork', async () => {
    const fork = await h.snapshot(station, 4);
    publish(box.dir, NAME, fork);
    const { result } = await sync(station, box.url);
    expect(result.outcome).toBe('rejected');
    expect(result.error?.code).toBe('SNAPSHOT_FORK');
    expect(statusOf(station).active?.sequence).toBe(4);
  });

  it('never fetches an older snapshot', async () => {
    publish(box.dir, NAME, await h.snapshot(station, 2));
    const before = box.proxy.seen.length;
    const { result } = await sync(station, box.url);
    expect(result).toMatchObject({ outcome: 'up-to-date', sequence: 2 });
    expect(box.proxy.seen.slice(before).some((r) => r.url.endsWith('.rjsnap'))).toBe(false);
  });
});

describe('sync from a folder', () => {
  it('imports from an outbox folder (a share or a USB stick), then finds nothing new', async () => {
    const folder = path.join(root, 'usb-outbox');
    const s = h.station('nattstation-2');
    publish(folder, 'nattstation-2', await h.snapshot(s, 1));
    const first = await sync(s, folder);
    expect(first.result).toMatchObject({ outcome: 'imported', sequence: 1, source: folder });
    const second = await sync(s, folder);
    expect(second.result).toMatchObject({ outcome: 'up-to-date', sequence: 1 });
    expect(statusOf(s).active?.sequence).toBe(1);
  });

  it('reports a folder that is not there (a share not mounted) as unreachable', async () => {
    const { result } = await sync(station, path.join(root, 'not-mounted'));
    expect(result.error?.code).toBe('SYNC_UNREACHABLE');
  });
});
