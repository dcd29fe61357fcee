/**
 * Streams one NDJSON file from disk (gzip-decoded when it was sent that way) into a
 * FolderWriter, line by line, so a file of any size passes through in bounded memory.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ReservError } from '../core/errors.ts';
import { lineFailure, LineSplitter } from '../core/lines.ts';
import type { FolderWriter } from './folder-writer.ts';

// The same limit `snapshot build` applies to one resource.
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** Feeds every line of `file` as a `type` resource; returns the number of non-empty lines. */
export async function feedNdjson(
  file: string,
  options: { type: string; gzip: boolean; label: string; writer: FolderWriter },
): Promise<number> {
  let lines = 0;
  const splitter = new LineSplitter(MAX_LINE_CHARS, (line, n) => {
    if (line.trim() === '') return;
    lines++;
    options.writer.addLine(options.type, line, `${options.label} line ${n}`);
  });
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      try {
        splitter.push(chunk);
        done();
      } catch (e) {
        done(lineFailure(e, options.label, 'SOURCE_FILE_INVALID'));
      }
    },
    final(done) {
      try {
        splitter.end();
        done();
      } catch (e) {
        done(lineFailure(e, options.label, 'SOURCE_FILE_INVALID'));
      }
    },
  });
  try {
    await (options.gzip
      ? pipeline(createReadStream(file), createGunzip(), sink)
      : pipeline(createReadStream(file), sink));
  } catch (error) {
    if (error instanceof ReservError) throw error;
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw new ReservError('SOURCE_FILE_INVALID', {
        details: [`${options.label}: the gzip data is damaged`],
        cause: error,
      });
    throw lineFailure(error, options.label, 'SOURCE_FILE_INVALID');
  }
  return lines;
}
