/**
 * Downloading one export file to disk, resumably.
 *
 * node:http(s) is used here rather than fetch because fetch decodes gzip on its own: resuming
 * needs the count of bytes as sent (RFC 9110 §14: a Range counts bytes of the selected
 * representation, i.e. after Content-Encoding), and the decoding is done afterwards, from disk.
 *
 * A download cut mid-way continues with `Range: bytes=N-` and `If-Range` (the ETag or
 * Last-Modified of the first answer, RFC 9110 §13.1.5) when the server advertised
 * `Accept-Ranges: bytes`; a 206 whose Content-Range does not start at N, or a 200, means the
 * server sends the whole file again and the partial file is dropped. Every attempt counts toward
 * the same bound as other requests.
 */
import { closeSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { retryAfterMs, Watchdog, where, type FhirHttp, type HttpDeps } from './http.ts';

export interface Downloaded {
  readonly bytes: number;
  /** The Content-Encoding of the bytes on disk (`gzip` or none). */
  readonly encoding: 'gzip' | 'identity';
  readonly resumed: number;
}

function rawGet(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(u, { headers, signal }, resolve);
    req.on('error', reject);
  });
}

export async function downloadFile(
  url: string,
  dest: string,
  options: {
    http: FhirHttp;
    deps: HttpDeps;
    auth: boolean;
    accept: string;
    /** Bytes as sent, over every attempt; more is refused (SOURCE_EXPORT_FAILED). */
    maxBytes: number;
  },
): Promise<Downloaded> {
  const { http: client, deps } = options;
  const label = `GET ${where(url)}`;
  let have = 0;
  let validator: string | undefined;
  let ranges = false;
  let encoding: Downloaded['encoding'] = 'identity';
  let resumed = 0;
  let refreshed = false;
  writeFileSync(dest, '');
  const restart = () => {
    truncateSync(dest, 0);
    have = 0;
  };
  for (let attempt = 1; ; attempt++) {
    const headers: Record<string, string> = {
      Accept: options.accept,
      'Accept-Encoding': 'gzip',
    };
    if (options.auth && client.options.credentials) {
      const value = await client.options.credentials.authorization();
      if (value !== undefined) headers.Authorization = value;
    }
    const resuming = have > 0 && ranges;
    if (resuming) {
      headers.Range = `bytes=${have}-`;
      if (validator !== undefined) headers['If-Range'] = validator;
    } else if (have > 0) restart();
    const watchdog = new Watchdog(client.options.timeoutMs);
    const signals = [watchdog.controller.signal, ...(deps.signal ? [deps.signal] : [])];
    let failure: string;
    try {
      const res = await rawGet(url, headers, AbortSignal.any(signals));
      const status = res.statusCode ?? 0;
      if (status === 200 || status === 206) {
        if (status === 200 || !contentRangeStartsAt(res.headers['content-range'], have)) {
          if (have > 0) restart();
          if (status === 206) {
            // A range we did not ask for: take nothing from it, ask for the whole file again.
            res.resume();
            ranges = false;
            throw new Error('unexpected Content-Range');
          }
          validator = strongValidator(res);
          ranges = res.headers['accept-ranges'] === 'bytes' && validator !== undefined;
          const ce = (res.headers['content-encoding'] ?? 'identity').toLowerCase();
          if (ce !== 'identity' && ce !== 'gzip' && ce !== 'x-gzip')
            throw new ReservError('SOURCE_RESPONSE_INVALID', {
              details: [`${label}: unsupported Content-Encoding ${ce.slice(0, 40)}`],
            });
          encoding = ce === 'identity' ? 'identity' : 'gzip';
        } else resumed++;
        const expected = Number(res.headers['content-length'] ?? NaN);
        let got = 0;
        // Written synchronously chunk by chunk, so every byte received is on disk when the
        // connection breaks, and the next attempt's Range starts exactly after it.
        const fd = openSync(dest, 'a');
        try {
          for await (const chunk of res as AsyncIterable<Buffer>) {
            if (have + got + chunk.length > options.maxBytes)
              throw new ReservError('SOURCE_EXPORT_FAILED', {
                details: [`${label}: the file is larger than ${options.maxBytes} bytes`],
              });
            writeSync(fd, chunk);
            got += chunk.length;
            watchdog.kick();
          }
        } finally {
          closeSync(fd);
          have = statSync(dest).size;
        }
        if (Number.isFinite(expected) && got < expected) throw new Error('answer cut short');
        watchdog.stop();
        return { bytes: have, encoding, resumed };
      }
      res.resume();
      watchdog.stop();
      if (status === 401 || status === 403) {
        if (!refreshed && options.auth && client.options.credentials?.refresh()) {
          refreshed = true;
          attempt--;
          continue;
        }
        throw new ReservError('SOURCE_AUTH_FAILED', { details: [`${label}: HTTP ${status}`] });
      }
      if (status === 404 || status === 410)
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [
            `${label}: HTTP ${status}: the export file is gone (the job expired or was deleted)`,
          ],
        });
      if (status === 416) {
        // Our range no longer fits the file: start over without one.
        ranges = false;
        failure = 'HTTP 416';
      } else if (status === 429 || status >= 500) {
        failure = `HTTP ${status}`;
        const wait = retryAfterMs(headerText(res.headers['retry-after']), deps.clock.now());
        if (attempt < client.options.attempts) {
          deps.log.warn('source.download.retry', { request: op(label), status, attempt });
          await client.wait(wait ?? client.backoff(attempt));
          continue;
        }
      } else
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [`${label}: unexpected HTTP ${status}`],
        });
    } catch (error) {
      watchdog.stop();
      if (error instanceof ReservError) throw error;
      deps.signal?.throwIfAborted();
      failure = watchdog.controller.signal.aborted
        ? 'no data in time'
        : error instanceof Error && error.message === 'unexpected Content-Range'
          ? 'a range that was not asked for'
          : 'connection lost';
      have = statSync(dest).size;
    }
    if (attempt >= client.options.attempts)
      throw new ReservError('SOURCE_UNREACHABLE', {
        details: [`${label}: ${failure} after ${attempt} attempts`],
      });
    deps.log.warn('source.download.cut', {
      request: op(label),
      reason: op(failure),
      bytes: have,
      resume: ranges && have > 0,
      attempt,
    });
    await client.wait(client.backoff(attempt));
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** If-Range needs a strong ETag or a Last-Modified date (RFC 9110 §13.1.5). */
function strongValidator(res: IncomingMessage): string | undefined {
  const etag = res.headers.etag;
  if (typeof etag === 'string' && !etag.startsWith('W/')) return etag;
  return headerText(res.headers['last-modified'] ?? undefined) ?? undefined;
}

function contentRangeStartsAt(value: string | undefined, start: number): boolean {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value ?? '');
  return m !== null && Number(m[1]) === start;
}
