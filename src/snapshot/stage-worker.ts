/**
 * Worker thread of the import: decrypts, decompresses, splits and prepares one payload file
 * while the main thread writes the previous batch into SQLite, so parsing and storing use both
 * cores. It only starts after the whole snapshot passed its signature and checksum checks (I3).
 *
 * Flow control: the worker sends a batch, and sends the next only while fewer than MAX_IN_FLIGHT
 * batches are unacknowledged, so memory stays bounded whatever the file size. Errors travel as
 * { code, details } and become a ReservError on the main thread.
 */
import { createReadStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { ReservError } from '../core/errors.ts';
import { lineFailure, LineSplitter } from '../core/lines.ts';
import { prepareRow, type PreparedRow } from '../store/prepare-row.ts';
import { fileDecipher } from './envelope.ts';
import { stagingFailure } from './staging-failure.ts';

export interface StageJob {
  readonly file: string;
  readonly start: number;
  readonly cipherLength: number;
  readonly tag: Uint8Array;
  readonly nonce: Uint8Array;
  readonly contentKey: Uint8Array;
  readonly snapshotId: string;
  readonly name: string;
  readonly type: string;
  readonly plainSize: number;
  readonly maxLineChars: number;
  readonly today: string;
}

export type StageMessage =
  | { kind: 'rows'; rows: PreparedRow[] }
  | { kind: 'file-done'; index: number; plain: number; count: number }
  | { kind: 'all-done' }
  | { kind: 'error'; code: string; details: string[] };

const ROWS_PER_BATCH = 2000;
const MAX_IN_FLIGHT = 3;

type Port = NonNullable<typeof parentPort>;

/** Batches on their way to the main thread, at most MAX_IN_FLIGHT unacknowledged. */
function flowControl(port: Port) {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    wake?.();
  });
  return {
    async send(rows: PreparedRow[]) {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      inFlight++;
      port.postMessage({ kind: 'rows', rows } satisfies StageMessage);
    },
    async drain() {
      while (inFlight > 0) await new Promise<void>((r) => (wake = r));
    },
  };
}

async function stageOne(
  job: StageJob,
  index: number,
  port: Port,
  flow: ReturnType<typeof flowControl>,
): Promise<boolean> {
  const send = (rows: PreparedRow[]) => flow.send(rows);
  const today = new Date(job.today);
  let batch: PreparedRow[] = [];
  let plain = 0;
  let count = 0;
  const splitter = new LineSplitter(job.maxLineChars, (line, lineNo) => {
    if (line.trim() === '') return;
    batch.push(
      prepareRow(job.type, line, `${job.name} line ${lineNo}`, today, 'SNAPSHOT_CONTENT_INVALID'),
    );
    count++;
  });
  const decipher = fileDecipher(
    Buffer.from(job.contentKey),
    Buffer.from(job.nonce),
    Buffer.from(job.tag),
    job.snapshotId,
    job.name,
  );
  const input =
    job.cipherLength > 0
      ? createReadStream(job.file, {
          start: job.start,
          end: job.start + job.cipherLength - 1,
          highWaterMark: 1 << 20,
        })
      : Readable.from([]);
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      plain += chunk.length;
      // Endless data: stop at the first byte beyond the size the signed manifest promised.
      if (plain > job.plainSize) {
        done(
          new ReservError('SNAPSHOT_TOO_LARGE', {
            details: [`${job.name}: more data than the manifest says`],
          }),
        );
        return;
      }
      try {
        splitter.push(chunk);
      } catch (e) {
        done(lineFailure(e, job.name, 'SNAPSHOT_CONTENT_INVALID'));
        return;
      }
      if (batch.length >= ROWS_PER_BATCH) {
        const rows = batch;
        batch = [];
        send(rows).then(() => done(), done);
      } else done();
    },
    final(done) {
      try {
        splitter.end();
      } catch (e) {
        done(lineFailure(e, job.name, 'SNAPSHOT_CONTENT_INVALID'));
        return;
      }
      const rows = batch;
      batch = [];
      (rows.length > 0 ? send(rows) : Promise.resolve()).then(() => done(), done);
    },
  });
  try {
    // Large chunks: each gunzip chunk is a round trip to the thread pool.
    await pipeline(input, decipher, createGunzip({ chunkSize: 256 * 1024 }), sink);
  } catch (error) {
    const e = stagingFailure(error, job.name);
    port.postMessage({
      kind: 'error',
      code: e.code,
      details: [...e.details],
    } satisfies StageMessage);
    return false;
  }
  await flow.drain();
  port.postMessage({ kind: 'file-done', index, plain, count } satisfies StageMessage);
  return true;
}

/** One worker for the whole import: starting a worker costs more than staging a small file. */
async function run(jobs: readonly StageJob[], port: Port): Promise<void> {
  const flow = flowControl(port);
  for (const [index, job] of jobs.entries()) {
    if (!(await stageOne(job, index, port, flow))) return;
  }
  port.postMessage({ kind: 'all-done' } satisfies StageMessage);
}

if (parentPort) void run(workerData as StageJob[], parentPort);
