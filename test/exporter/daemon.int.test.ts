/**
 * The daemon with a scheduler the test fires by hand (croner's own timing is croner's business;
 * no test waits for the clock): never two runs at once, a due time during a run is skipped and
 * logged, and a stop waits for the run in progress and leaves nothing behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { runExporterDaemon, type DaemonSummary } from '../../src/exporter/daemon.ts';
import { LOCK_FILE } from '../../src/exporter/outbox-lock.ts';
import { readOutboxIndex } from '../../src/exporter/outbox.ts';
import type { CycleResult } from '../../src/exporter/run.ts';
import { cronScheduler, type Scheduler } from '../../src/exporter/schedule.ts';
import { CLOCK } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { exporterFixture, recordingLogger, type ExporterFixture } from './fixture.ts';

/** A scheduler whose due times are `fire()` calls. */
function manualScheduler() {
  let tick: (() => void) | undefined;
  let stopped = false;
  const scheduler: Scheduler = {
    start(t) {
      tick = t;
      return { stop: () => void (stopped = true), nextRun: () => null };
    },
  };
  return { scheduler, fire: () => tick!(), isStopped: () => stopped };
}

function startDaemon(fx: ExporterFixture) {
  const manual = manualScheduler();
  const recorder = recordingLogger();
  const ended: (CycleResult | ReservError)[] = [];
  const waiters: (() => void)[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const done: Promise<DaemonSummary> = runExporterDaemon(fx.config, {
    clock: CLOCK,
    log: recorder.log,
    scheduler: manual.scheduler,
    stopped,
    onRunEnded: (outcome) => {
      ended.push(outcome);
      waiters.shift()?.();
    },
  });
  return {
    ...manual,
    ended,
    events: recorder.events,
    done,
    stop,
    /** Resolves when the next run ends. */
    nextEnd: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

let fx: ExporterFixture;
beforeAll(() => {
  fx = exporterFixture(tempDir('exporter-daemon'), {
    people: 40,
    stations: [{ name: 'solglantan', units: ['sabo-2'] }],
  });
});

describe('the exporter daemon', () => {
  it('never runs twice at once: a due time during a run is skipped and logged', async () => {
    const d = startDaemon(fx);
    const ended = d.nextEnd();
    d.fire();
    d.fire(); // due again while the first run is still going
    await ended;
    expect(d.ended).toHaveLength(1);
    expect(d.ended[0]).toMatchObject({ outcome: 'published' });
    const firstSequence = readOutboxIndex(fx.config.outbox, 'solglantan')!.sequence;
    expect(d.events().filter((e) => e.event === 'exporter.run_skipped')).toHaveLength(1);

    const again = d.nextEnd();
    d.fire();
    await again;
    expect(readOutboxIndex(fx.config.outbox, 'solglantan')!.sequence).toBe(firstSequence + 1);

    d.stop();
    expect(await d.done).toEqual({ runs: 2, skipped: 1 });
    expect(d.isStopped()).toBe(true);
    d.fire(); // a due time after the stop starts nothing
    expect(d.ended).toHaveLength(2);
  });

  it('on stop, waits for the run in progress and leaves no lock or work files', async () => {
    const d = startDaemon(fx);
    d.fire();
    d.stop();
    const summary = await d.done;
    expect(summary).toEqual({ runs: 1, skipped: 0 });
    // The run had ended (whatever it managed before the stop) by the time the daemon returned.
    expect(d.ended).toHaveLength(1);
    expect(existsSync(path.join(fx.config.outbox, LOCK_FILE))).toBe(false);
    expect(readdirSync(path.join(fx.config.stateDir, 'work'))).toEqual([]);
    expect(d.events().map((e) => e.event)).toContain('exporter.daemon_stopped');
  });
});

describe('the cron scheduler', () => {
  it('schedules the next run on a minute boundary within the minute for "* * * * *"', () => {
    const handle = cronScheduler('* * * * *', 'Europe/Stockholm').start(() => {});
    try {
      const next = handle.nextRun()!;
      expect(next.getUTCSeconds()).toBe(0);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
      expect(next.getTime()).toBeGreaterThan(Date.now() - 1000);
    } finally {
      handle.stop();
    }
  });
});
