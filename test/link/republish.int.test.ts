/**
 * An outbox being published while a station fetches (issue #7): the index is replaced and old
 * files are deleted beyond retention in the middle of a download. The station must either import
 * a complete, verified snapshot or fail cleanly and succeed at the next sync; never a partial
 * state. Also: a transfer that stalls is abandoned after the stall limit and resumed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../helpers/outbox.ts';
import { restartAndCheck } from '../helpers/invariants.ts';
import { statusOf, type TestStationDir } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { harness, outbox, sync, type Harness, type Outbox } from './harness.ts';

const root = tempDir('link-republish');
const NAME = 'nattstation-3';
let h: Harness;
let box: Outbox;
let station: TestStationDir;

beforeAll(async () => {
  h = harness(root);
  box = await outbox(path.join(root, 'outbox'));
  station = h.station(NAME);
  publish(box.dir, NAME, await h.snapshot(station, 1));
  expect((await sync(station, box.url)).result.outcome).toBe('imported');
});
afterAll(() => box.close());

describe('publishing while a station fetches', () => {
  it('re-reads the index when the file it was fetching is deleted, and imports what it names now', async () => {
    const second = publish(box.dir, NAME, await h.snapshot(station, 2));
    const third = await h.snapshot(station, 3);
    const fourth = await h.snapshot(station, 4);
    box.proxy.set({ kind: 'cut', bytes: Math.floor(second.size / 3) });
    const { result, log } = await sync(station, box.url, {
      // Between the cut and the retry, the exporter publishes twice and (keep 1) deletes
      // sequence 2's file, which the station has a third of.
      onSleep: () => {
        publish(box.dir, NAME, third, { keep: 1 });
        publish(box.dir, NAME, fourth, { keep: 1 });
      },
    });
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ outcome: 'imported', sequence: 4 });
    expect(log.some((l) => l.includes('"sync.index_reread"'))).toBe(true);
    expect(restartAndCheck(station.dataDir)).toEqual({
      activeSequence: 4,
      lastAcceptedSequence: 4,
    });
  });

  it('finishes a paused download of a snapshot deleted meanwhile, or fails cleanly, and the next sync takes the newest', async () => {
    const fifth = publish(box.dir, NAME, await h.snapshot(station, 5));
    const sixth = await h.snapshot(station, 6);
    const seventh = await h.snapshot(station, 7);
    box.proxy.set({ kind: 'pause', bytes: Math.floor(fifth.size / 2) });
    const running = sync(station, box.url);
    await box.proxy.paused();
    publish(box.dir, NAME, sixth, { keep: 1 });
    publish(box.dir, NAME, seventh, { keep: 1 });
    box.proxy.release();
    const { result } = await running;
    // A complete snapshot imported, or a clean failure, are acceptable; a half state is not.
    if (result.error === null) expect(result).toMatchObject({ outcome: 'imported', sequence: 5 });
    else expect(['unreachable', 'failed']).toContain(result.outcome);
    expect([4, 5]).toContain(restartAndCheck(station.dataDir).activeSequence);
    const next = await sync(station, box.url);
    expect(next.result).toMatchObject({ outcome: 'imported', sequence: 7 });
    expect(restartAndCheck(station.dataDir)).toEqual({
      activeSequence: 7,
      lastAcceptedSequence: 7,
    });
  });

  it('abandons a transfer that stalls past the limit and resumes it with a range', async () => {
    const eighth = publish(box.dir, NAME, await h.snapshot(station, 8));
    const half = Math.floor(eighth.size / 2);
    box.proxy.set({ kind: 'pause', bytes: half });
    const before = box.proxy.seen.length;
    const { result, waits } = await sync(station, box.url, { timeoutSeconds: 1 });
    box.proxy.release();
    expect(result).toMatchObject({ outcome: 'imported', sequence: 8 });
    expect(waits).toEqual([1000]);
    const files = box.proxy.seen.slice(before).filter((r) => r.url.endsWith('.rjsnap'));
    expect(files.map((f) => f.range)).toEqual([undefined, `bytes=${half}-`]);
    expect(statusOf(station).active?.sequence).toBe(8);
  });
});
