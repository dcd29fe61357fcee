/**
 * The outbox on real files: publish order (file, then index, then retention), what retention may
 * never delete, the lock between exporters, sequence numbers that never go back, and the
 * interval the heartbeat announces.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import type { OutboxIndex } from '../../src/link/outbox-format.ts';
import { acquireOutboxLock, LOCK_FILE } from '../../src/exporter/outbox-lock.ts';
import { publishSnapshot, readOutboxIndex, stationFolder } from '../../src/exporter/outbox.ts';
import { expectedIntervalMinutes } from '../../src/exporter/schedule.ts';
import { readSequences, reserveSequence } from '../../src/exporter/sequence.ts';
import { buildSnapshot } from '../../src/snapshot/build.ts';
import { generateKeyPair } from '../../src/snapshot/keys.ts';
import { CLOCK, inlineSource, makeExporter } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('outbox');
const exporter = makeExporter(path.join(root, 'keys'));
const stationKey = createPublicKey(generateKeyPair('x25519').publicPem);
const source = inlineSource(path.join(root, 'export'), {
  Organization: ['{"resourceType":"Organization","id":"u1"}'],
});
let built = 0;

async function buildOne(sequence: number) {
  const outFile = path.join(root, 'work', `built-${++built}.rjsnap`);
  mkdirSync(path.dirname(outFile), { recursive: true });
  const { manifest } = await buildSnapshot({
    sourceDir: source,
    sequence,
    signKey: exporter.signKey,
    signPublicKey: exporter.publicKey,
    recipients: [stationKey],
    outFile,
    targets: ['s1'],
    clock: CLOCK,
  });
  return { builtFile: outFile, manifest };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('publishing into the outbox', () => {
  it('names only complete files, keeps the newest `keep`, and never deletes the previous one', async () => {
    const outbox = path.join(root, 'outbox-keep');
    const folder = stationFolder(outbox, 's1');
    let previous: OutboxIndex | null = null;
    for (let sequence = 1; sequence <= 6; sequence++) {
      const index = await publishSnapshot({
        outbox,
        station: 's1',
        ...(await buildOne(sequence)),
        keep: 3,
        clock: CLOCK,
      });
      expect(readOutboxIndex(outbox, 's1')).toEqual(index);
      expect(index.sequence).toBe(sequence);
      const file = path.join(folder, index.file);
      expect(sha256(file)).toBe(index.sha256);
      expect(readFileSync(file).length).toBe(index.size);
      // A station that read the previous index a moment ago still finds its file.
      if (previous) expect(existsSync(path.join(folder, previous.file))).toBe(true);
      const onDisk = readdirSync(path.join(folder, 'snapshots')).sort();
      expect(onDisk).toEqual(
        [index.file, ...index.retained.map((r) => r.file)].map((f) => path.basename(f)).sort(),
      );
      expect(onDisk).toHaveLength(Math.min(sequence, 3));
      expect(index.retained.map((r) => r.sequence)).toEqual(
        [sequence - 1, sequence - 2].filter((n) => n >= 1),
      );
      for (const r of index.retained) expect(sha256(path.join(folder, r.file))).toBe(r.sha256);
      previous = index;
    }
  });

  it('leaves the old index naming a present file when the new index cannot be written', async () => {
    const outbox = path.join(root, 'outbox-fail');
    const folder = stationFolder(outbox, 's1');
    const first = await publishSnapshot({
      outbox,
      station: 's1',
      ...(await buildOne(1)),
      keep: 2,
      clock: CLOCK,
    });
    // A folder where the temporary index file must go: the rename over index.json fails.
    const indexFile = path.join(folder, 'index.json');
    const saved = readFileSync(indexFile);
    rmSync(indexFile);
    mkdirSync(indexFile);
    writeFileSync(path.join(indexFile, 'x'), '');
    const next = await buildOne(2);
    await expect(
      publishSnapshot({ outbox, station: 's1', ...next, keep: 2, clock: CLOCK }),
    ).rejects.toMatchObject({ code: 'OUTBOX_UNUSABLE' });
    rmSync(indexFile, { recursive: true });
    writeFileSync(indexFile, saved);
    // The new file went in first (under its own name); the old one is untouched and named.
    expect(readOutboxIndex(outbox, 's1')).toEqual(first);
    expect(sha256(path.join(folder, first.file))).toBe(first.sha256);
    expect(readdirSync(path.join(folder, 'snapshots'))).toHaveLength(2);
    // The next publication tidies the unnamed file away and keeps the one the index named.
    const third = await publishSnapshot({
      outbox,
      station: 's1',
      ...(await buildOne(3)),
      keep: 2,
      clock: CLOCK,
    });
    expect(third.retained.map((r) => r.sequence)).toEqual([1]);
    expect(readdirSync(path.join(folder, 'snapshots')).sort()).toEqual(
      [third.file, first.file].map((f) => path.basename(f)).sort(),
    );
  });
});

describe('the outbox lock', () => {
  const outbox = path.join(root, 'outbox-lock');
  mkdirSync(outbox, { recursive: true });
  const lockFile = path.join(outbox, LOCK_FILE);

  it('refuses a second holder in this process and lets go on release', () => {
    const release = acquireOutboxLock(outbox, CLOCK.now());
    expect(() => acquireOutboxLock(outbox, CLOCK.now())).toThrow(
      expect.objectContaining({ code: 'EXPORTER_BUSY' }),
    );
    release();
    expect(existsSync(lockFile)).toBe(false);
    acquireOutboxLock(outbox, CLOCK.now())();
  });

  it('refuses while another live process holds it, and takes over from a dead one', () => {
    // The test runner's parent process is alive for the whole test.
    writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'x' }));
    expect(() => acquireOutboxLock(outbox, CLOCK.now())).toThrow(
      expect.objectContaining({
        code: 'EXPORTER_BUSY',
        details: [expect.stringContaining(`process ${process.ppid}`)],
      }),
    );
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFile, JSON.stringify({ pid: dead, host: hostname(), since: 'x' }));
    const release = acquireOutboxLock(outbox, CLOCK.now());
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    release();
  });

  it('counts a lock from another host as held', () => {
    writeFileSync(lockFile, JSON.stringify({ pid: 1, host: 'other-host', since: 'x' }));
    expect(() => acquireOutboxLock(outbox, CLOCK.now())).toThrow(
      expect.objectContaining({ code: 'EXPORTER_BUSY' }),
    );
    rmSync(lockFile);
  });
});

describe('sequence numbers', () => {
  const now = new Date('2026-11-27T08:00:00Z');
  const minutes = Math.floor(now.getTime() / 60_000);

  it('rise by one per run, starting at the minutes since the epoch', () => {
    const state = path.join(root, 'state-a');
    expect(reserveSequence(state, 's1', 0, now)).toBe(minutes);
    expect(reserveSequence(state, 's1', minutes, now)).toBe(minutes + 1);
    expect(reserveSequence(state, 's2', 0, now)).toBe(minutes);
    expect(readSequences(state)).toEqual({ s1: minutes + 1, s2: minutes });
  });

  it('never go back when the state file is lost or damaged', () => {
    const state = path.join(root, 'state-b');
    for (let i = 0; i < 5; i++) reserveSequence(state, 's1', 0, now);
    const last = readSequences(state).s1!;
    expect(last).toBe(minutes + 4);
    // Lost: the outbox index still names the last published number.
    rmSync(state, { recursive: true });
    expect(reserveSequence(state, 's1', last, now)).toBe(last + 1);
    // Damaged, and the index gone too: the clock has moved on since.
    writeFileSync(path.join(state, 'sequences.json'), '{ half');
    expect(reserveSequence(state, 's1', 0, new Date(now.getTime() + 10 * 60_000))).toBe(
      minutes + 10,
    );
  });
});

describe('the interval the heartbeat announces', () => {
  it('is the longest gap between runs over the next eight days', () => {
    const from = fixedClock('2026-11-27T08:00:00Z').now();
    expect(expectedIntervalMinutes('0 6,18 * * *', 'Europe/Stockholm', from)).toBe(720);
    expect(expectedIntervalMinutes('* * * * *', 'Europe/Stockholm', from)).toBe(1);
    expect(expectedIntervalMinutes('0 6 * * 1-5', 'Europe/Stockholm', from)).toBe(3 * 24 * 60);
    expect(expectedIntervalMinutes('0 6,14,22 * * *', 'UTC', from)).toBe(8 * 60);
    // Summer time starts within the window: an hour more, never less (no false alarm).
    const spring = new Date('2027-03-25T08:00:00Z');
    expect(expectedIntervalMinutes('0 6,18 * * *', 'Europe/Stockholm', spring)).toBe(780);
  });
});
