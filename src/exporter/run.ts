/**
 * One exporter cycle: pull the whole journal into a private work folder, split it per station,
 * build, sign and encrypt each station's snapshot, publish each into the outbox, write the
 * heartbeat, and remove the work folder (it holds the journal in clear text).
 *
 * Failure rules:
 * - A failed pull (or a split that cannot start, such as a unit that matches no Organization)
 *   publishes nothing: every station keeps the snapshot published before. The heartbeat records
 *   the failure and its code, and a `pull-failed` alert is sent (`publish-failed` when the cause
 *   is not the source).
 * - A station whose build or publication fails gets a `publish-failed` alert naming it; the other
 *   stations still publish, because one broken station key or full folder must not leave every
 *   other unit without fresh data. The run then counts as failed and `lastPublishedAt` in the
 *   heartbeat (the last run that published for every station) does not move.
 * - A stop request aborts the pull; once stations are being built, the station in progress is
 *   finished and the rest are skipped (published next run).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isErrno, ReservError, toReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { sendAlert } from '../monitor/alert.ts';
import { buildSnapshot } from '../snapshot/build.ts';
import { pullSource } from '../source/pull.ts';
import type { ExporterConfig } from './config.ts';
import { outboxError, publishSnapshot, readOutboxIndex } from './outbox.ts';
import { acquireOutboxLock } from './outbox-lock.ts';
import { partitionExport, type PartitionResult } from './partition.ts';
import {
  finishRun,
  type CycleDeps,
  type CycleResult,
  type Prepared,
  type StationOutcome,
} from './run-report.ts';
import { reserveSequence } from './sequence.ts';

export type { CycleDeps, CycleResult, StationOutcome } from './run-report.ts';

/** Problems with the private state folder: the operator's fix is the stateDir setting. */
function stateError(error: unknown, stateDir: string): unknown {
  if (error instanceof ReservError || !isErrno(error)) return error;
  if (error.code === 'ENOSPC') return new ReservError('DISK_FULL', { cause: error });
  return new ReservError('CONFIG_INVALID', {
    details: [`stateDir ${stateDir} cannot be written (${error.code})`],
    cause: error,
  });
}

export async function runExporterCycle(
  config: ExporterConfig,
  deps: CycleDeps,
): Promise<CycleResult> {
  const started = deps.clock.now();
  try {
    mkdirSync(config.outbox, { recursive: true });
  } catch (thrown) {
    // Nothing can be published and no heartbeat written: say so by the alert hook at least.
    const error = toReservError(outboxError(thrown));
    await sendAlert(
      {
        kind: 'publish-failed',
        severity: 'critical',
        at: started.toISOString(),
        side: 'exporter',
        name: config.name,
        code: error.code,
        message: `Exporter ${config.name} cannot use its outbox: ${error.message}`,
        details: error.details,
      },
      config.alert,
      deps,
    );
    throw error;
  }
  const release = acquireOutboxLock(config.outbox, started);
  const workRoot = path.join(config.stateDir, 'work');
  const runId = `${started.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const work = path.join(workRoot, runId);
  try {
    deps.log.info('exporter.run_started', { stations: config.stations.length });
    const outcomes = await publishAll(config, deps, workRoot, work);
    return await finishRun(config, deps, started, outcomes);
  } finally {
    try {
      rmSync(work, { recursive: true, force: true });
    } catch (error) {
      // The next run removes it; the run's own outcome is what matters here.
      deps.log.error('exporter.work_cleanup_failed', {
        code: op(toReservError(error).code),
      });
    }
    release();
  }
}

/** A private work folder for this run; those of runs that crashed are removed first. */
function prepareWork(workRoot: string, work: string, stateDir: string): void {
  try {
    // Only the holder of the outbox lock runs, so no other run is using any of them.
    mkdirSync(workRoot, { recursive: true, mode: 0o700 });
    for (const old of readdirSync(workRoot))
      rmSync(path.join(workRoot, old), { recursive: true, force: true });
    mkdirSync(work, { mode: 0o700 });
  } catch (error) {
    throw stateError(error, stateDir);
  }
}

async function publishAll(
  config: ExporterConfig,
  deps: CycleDeps,
  workRoot: string,
  work: string,
): Promise<Prepared> {
  const pulled = path.join(work, 'pull');
  let split: PartitionResult;
  try {
    prepareWork(workRoot, work, config.stateDir);
    const result = await pullSource(config.source, pulled, {
      clock: deps.clock,
      log: deps.log,
      ...(deps.signal && { signal: deps.signal }),
      ...(deps.sleep && { sleep: deps.sleep }),
      ...(deps.env && { env: deps.env }),
    });
    for (const w of result.warnings) deps.log.warn('exporter.pull_warning', { warning: op(w) });
    deps.log.info('exporter.pulled', { resources: result.resources });
    split = await partitionExport(pulled, config.stations, path.join(work, 'stations'), deps);
    rmSync(pulled, { recursive: true, force: true });
  } catch (thrown) {
    const error = toReservError(thrown);
    return {
      ok: false,
      error,
      kind: error.code.startsWith('SOURCE_') ? 'pull-failed' : 'publish-failed',
    };
  }
  const outcomes: StationOutcome[] = [];
  for (const share of split.shares) {
    if (deps.signal?.aborted) {
      outcomes.push({ station: share.name, outcome: 'skipped' });
      continue;
    }
    const station = config.stations.find((s) => s.name === share.name)!;
    try {
      const published = readOutboxIndex(config.outbox, station.name)?.sequence ?? 0;
      let sequence: number;
      try {
        sequence = reserveSequence(config.stateDir, station.name, published, deps.clock.now());
      } catch (error) {
        throw stateError(error, config.stateDir);
      }
      const builtFile = path.join(work, `${station.name}.rjsnap`);
      const built = await buildSnapshot({
        sourceDir: share.dir,
        sequence,
        signKey: config.signKey,
        signPublicKey: config.signPublicKey,
        recipients: [station.publicKey],
        outFile: builtFile,
        environment: config.environment,
        targets: [station.name],
        clock: deps.clock,
      });
      rmSync(share.dir, { recursive: true, force: true });
      const index = await publishSnapshot({
        outbox: config.outbox,
        station: station.name,
        builtFile,
        manifest: built.manifest,
        keep: config.keep,
        clock: deps.clock,
      });
      deps.log.info('exporter.published', {
        station: op(station.name),
        sequence: index.sequence,
        people: share.people,
        resources: share.resources,
        bytes: index.size,
      });
      outcomes.push({
        station: station.name,
        outcome: 'published',
        people: share.people,
        resources: share.resources,
        sequence: index.sequence,
        snapshotId: index.snapshotId,
        file: index.file,
        bytes: index.size,
      });
    } catch (thrown) {
      const error = toReservError(thrown);
      deps.log.error('exporter.station_failed', {
        station: op(station.name),
        code: op(error.code),
      });
      outcomes.push({
        station: station.name,
        outcome: 'failed',
        code: error.code,
        details: error.details,
      });
      await sendAlert(
        {
          kind: 'publish-failed',
          severity: 'critical',
          at: deps.clock.now().toISOString(),
          side: 'exporter',
          name: config.name,
          code: error.code,
          message: `Exporter ${config.name} could not publish a snapshot for station ${station.name}: ${error.message} The station keeps its previous snapshot.`,
          details: [`station: ${station.name}`, ...error.details],
        },
        config.alert,
        deps,
      );
    }
  }
  return { ok: true, stations: outcomes };
}
