/**
 * Reading the outbox from a folder: a network share (SMB, NFS) or a USB stick carried to a
 * station without a network. It answers like the HTTP transport so the sync logic is the same:
 * a file's validator is its size and modification time (what a static server's ETag is made
 * of), and a download resumes from an offset when the file still has the same validator.
 *
 * A share that hangs can block a read for ever; every wait is therefore raced against the stall
 * limit, and a missing outbox folder (a share that is not mounted) is SYNC_UNREACHABLE, while a
 * missing file inside an existing outbox is "not found".
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isErrno, ReservError } from '../core/errors.ts';
import type { GetResult, OpenResult, Transport, TransportOptions } from './transport.ts';

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

export function folderTransport(from: string, cwd: string, options: TransportOptions): Transport {
  const root = path.resolve(cwd, from);
  const source = root;
  const seconds = Math.round(options.timeoutMs / 1000);

  /** Resolve within the stall limit or fail as unreachable (the read itself may stay stuck). */
  function within<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unreachable(`${what}: no answer for ${seconds} s`)),
        options.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  function unreachable(what: string, cause?: unknown): ReservError {
    return new ReservError('SYNC_UNREACHABLE', {
      details: [`${source}: ${what}`],
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** A failed file access: "not found" inside a reachable outbox, unreachable otherwise. */
  async function classify(error: unknown, relative: string): Promise<'not-found'> {
    if (error instanceof ReservError) throw error;
    if (isErrno(error) && MISSING.has(error.code ?? '')) {
      const rootThere = await within(
        stat(root).then(
          (s) => s.isDirectory(),
          () => false,
        ),
        relative,
      );
      if (rootThere) return 'not-found';
      throw unreachable('the outbox folder is not there (is the share mounted?)', error);
    }
    throw unreachable(`${relative}: ${isErrno(error) ? error.code : 'unreadable'}`, error);
  }

  const fileOf = (relative: string) => path.join(root, ...relative.split('/'));

  return {
    source,

    async get(relative, _validators, maxBytes): Promise<GetResult> {
      // A folder read costs nothing worth saving: no conditional requests here.
      try {
        const file = fileOf(relative);
        const info = await within(stat(file), relative);
        if (info.size > maxBytes)
          throw new ReservError('SYNC_INDEX_INVALID', {
            details: [`${relative} is larger than ${maxBytes} bytes`],
          });
        const body = await within(readFile(file), relative);
        return { kind: 'ok', body, validators: { etag: null, lastModified: null } };
      } catch (error) {
        return { kind: await classify(error, relative) };
      }
    },

    async open(relative, { offset, ifRange, signal }): Promise<OpenResult> {
      const file = fileOf(relative);
      let etag: string;
      let size: number;
      try {
        const info = await within(stat(file), relative);
        size = info.size;
        etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      } catch (error) {
        return { kind: await classify(error, relative) };
      }
      // Like If-Range: a file that changed since the cut comes back whole.
      const start = offset > 0 && ifRange === etag ? offset : 0;
      if (start > size) return { kind: 'range-unsatisfiable' };
      const stream = createReadStream(file, { start, signal });
      async function* body(): AsyncGenerator<Uint8Array> {
        const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        try {
          for (;;) {
            let next: IteratorResult<Buffer>;
            try {
              next = await within(iterator.next(), relative);
            } catch (error) {
              if (error instanceof ReservError) throw error;
              throw unreachable(
                `${relative}: cut (${isErrno(error) ? error.code : 'read failed'})`,
                error,
              );
            }
            if (next.done) return;
            yield next.value;
          }
        } finally {
          stream.destroy();
        }
      }
      return { kind: 'ok', offset: start, etag, body: body() };
    },
  };
}
