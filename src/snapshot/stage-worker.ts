/**
 * Worker thread of the import: decrypts payload files and feeds them to their layout
 * (stage-layouts.ts), which checks, prepares and packs the lines, while the main thread writes earlier batches into SQLite. Parsing costs more than writing, so
 * the import runs two of these (see import.ts); each asks for the next file when it has
 * finished one. Workers only start after the whole snapshot passed its signature and checksum
 * checks (I3).
 *
 * Messages from the main thread: a job (stage one file) or 'ack' (one batch written). Flow
 * control: a worker sends a batch, and sends the next only while fewer than MAX_IN_FLIGHT
 * batches are unacknowledged, so memory stays bounded whatever the file size. Errors travel as
 * { code, details } and become a ReservError on the main thread.
 */
import { createReadStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { lineFailure } from '../core/lines.ts';
import { prepareRow } from '../store/prepare-row.ts';
import { BlockPacker, type StagedBatch } from '../store/raw-blocks.ts';
import { fileDecipher } from './envelope.ts';
import type { Compression } from './format.ts';
import { blocksLayout, gzipLayout, type LayoutContext } from './stage-layouts.ts';
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
  readonly compression: Compression;
  readonly maxLineChars: number;
  readonly today: string;
}

export type StageMessage =
  | { kind: 'rows'; batch: StagedBatch }
  | { kind: 'file-done'; index: number; plain: number; count: number }
  | { kind: 'error'; code: string; details: string[] };

/** What the main thread sends: the next file to stage, or the acknowledgement of a batch. */
export type StageCommand = { kind: 'job'; index: number; job: StageJob } | 'ack';

const ROWS_PER_BATCH = 2000;
const MAX_IN_FLIGHT = 2;

type Port = NonNullable<typeof parentPort>;

/** Batches on their way to the main thread, at most MAX_IN_FLIGHT unacknowledged. */
function flowControl(port: Port) {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', (m: StageCommand) => {
    if (m !== 'ack') return;
    inFlight--;
    wake?.();
  });
  return {
    async send(batch: StagedBatch) {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      inFlight++;
      port.postMessage({ kind: 'rows', batch } satisfies StageMessage);
    },
  };
}

async function stageOne(
  job: StageJob,
  index: number,
  port: Port,
  flow: ReturnType<typeof flowControl>,
): Promise<boolean> {
  const today = new Date(job.today);
  const packer = new BlockPacker();
  const seen = { plain: 0, count: 0 };
  const context: LayoutContext = {
    name: job.name,
    plainSize: job.plainSize,
    maxLineChars: job.maxLineChars,
    packer,
    seen,
    prepare: (line, lineNo) =>
      prepareRow(job.type, line, `${job.name} line ${lineNo}`, today, 'SNAPSHOT_CONTENT_INVALID'),
  };
  const layout = job.compression === 'deflate-blocks' ? blocksLayout(context) : gzipLayout(context);
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
      void (async () => {
        const steps = layout.steps(chunk)[Symbol.iterator]();
        while (!steps.next().done)
          if (packer.size >= ROWS_PER_BATCH && !layout.holding) await flow.send(packer.take());
      })().then(
        () => done(),
        (e: unknown) => done(lineFailure(e, job.name, 'SNAPSHOT_CONTENT_INVALID')),
      );
    },
    final(done) {
      try {
        layout.end();
      } catch (e) {
        done(lineFailure(e, job.name, 'SNAPSHOT_CONTENT_INVALID'));
        return;
      }
      (packer.size > 0 ? flow.send(packer.take()) : Promise.resolve()).then(() => done(), done);
    },
  });
  try {
    // Large chunks: each gunzip chunk is a round trip to the thread pool.
    if (layout.gunzipped)
      await pipeline(input, decipher, createGunzip({ chunkSize: 256 * 1024 }), sink);
    else await pipeline(input, decipher, sink);
  } catch (error) {
    const e = stagingFailure(error, job.name);
    port.postMessage({
      kind: 'error',
      code: e.code,
      details: [...e.details],
    } satisfies StageMessage);
    return false;
  }
  // No need to wait for the acknowledgements: the main thread handles this port's messages in
  // order, so every batch of the file is written before it reads 'file-done'.
  port.postMessage({
    kind: 'file-done',
    index,
    plain: seen.plain,
    count: seen.count,
  } satisfies StageMessage);
  return true;
}

/** Stage each file the main thread hands over, one at a time, until the thread is ended. */
function serve(port: Port): void {
  const flow = flowControl(port);
  let queue = Promise.resolve();
  port.on('message', (m: StageCommand) => {
    if (m === 'ack') return;
    queue = queue.then(async () => {
      await stageOne(m.job, m.index, port, flow);
    });
  });
}

if (parentPort) serve(parentPort);
