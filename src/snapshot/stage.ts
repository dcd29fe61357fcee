/**
 * Staging the payload files into the new snapshot database: parsing workers (stage-worker.ts)
 * decrypt, decompress and prepare the lines while this thread writes them through `Ingest`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ReservError, toReservError, type ErrorCode } from '../core/errors.ts';
import { startTsWorker } from '../core/ts-worker.ts';
import type { Ingest } from '../store/ingest.ts';
import { MAX_LINE_CHARS } from './build.ts';
import { TAG_BYTES } from './envelope.ts';
import type { PayloadFile, SnapshotManifest } from './format.ts';
import type { StageCommand, StageJob, StageMessage } from './stage-worker.ts';
import { stagingFailure } from './staging-failure.ts';
import type { SnapshotHeader } from './verify.ts';

const STAGE_WORKER = new URL('./stage-worker.ts', import.meta.url);

function readTag(file: string, position: number, name: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const tag = Buffer.alloc(TAG_BYTES);
    readSync(fd, tag, 0, TAG_BYTES, position);
    return tag;
  } catch (error) {
    throw stagingFailure(error, name);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Parsing workers: parsing, checking and packing cost about twice what writing costs, so two
 * workers parse while this thread writes (on a machine with one core, one worker).
 */
const PARSE_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

/**
 * Stage every payload file: worker threads decrypt, decompress and prepare the lines while this
 * thread writes them (see stage-worker.ts). Each worker gets the next file when it has finished
 * one, so a large file and many small ones balance out. Rows of different files interleave in
 * the database; nothing depends on their order.
 */
export async function stageFiles(
  file: string,
  header: SnapshotHeader,
  manifest: SnapshotManifest,
  contentKey: Buffer,
  ingest: Ingest,
  today: Date,
  afterFile: (f: PayloadFile) => void,
): Promise<void> {
  const jobs: StageJob[] = manifest.files.map((f) => {
    const start = header.payloadStart + f.offset;
    const cipherLength = f.size - TAG_BYTES;
    return {
      file,
      start,
      cipherLength,
      tag: readTag(file, start + cipherLength, f.name),
      nonce: Buffer.from(f.nonce, 'base64'),
      contentKey,
      snapshotId: manifest.snapshotId,
      name: f.name,
      type: f.type,
      plainSize: f.plainSize,
      compression: manifest.encryption.compression,
      maxLineChars: MAX_LINE_CHARS,
      today: today.toISOString(),
    };
  });
  if (jobs.length === 0) return;
  // A young generation of 16 MB (V8 gives a worker up to 48): parsing makes short-lived garbage
  // only, and the smaller nursery kept the import's peak memory about 25 MB lower at the same
  // speed (bench/import.ts, 10,000 people).
  const workers = Array.from({ length: Math.min(PARSE_WORKERS, jobs.length) }, () =>
    startTsWorker(STAGE_WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 16 } }),
  );
  let next = 0;
  let done = 0;
  const assign = (worker: Worker) => {
    if (next >= jobs.length) return;
    const index = next++;
    worker.postMessage({ kind: 'job', index, job: jobs[index]! } satisfies StageCommand);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      for (const worker of workers) {
        worker.on('message', (m: StageMessage) => {
          try {
            if (m.kind === 'rows') {
              ingest.write(m.batch);
              worker.postMessage('ack' satisfies StageCommand);
            } else if (m.kind === 'file-done') {
              const f = manifest.files[m.index]!;
              if (m.plain !== f.plainSize || m.count !== f.count)
                throw new ReservError('SNAPSHOT_CONTENT_INVALID', {
                  details: [
                    `${f.name}: ${m.count} resources in ${m.plain} bytes, the manifest says ${f.count} in ${f.plainSize}`,
                  ],
                });
              afterFile(f);
              if (++done === jobs.length) resolve();
              else assign(worker);
            } else reject(new ReservError(m.code as ErrorCode, { details: m.details }));
          } catch (e) {
            reject(toReservError(e));
          }
        });
        worker.on('error', (e) => reject(toReservError(e)));
        worker.on('exit', (code) =>
          reject(new ReservError('INTERNAL', { details: [`stage worker ended with ${code}`] })),
        );
        assign(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
