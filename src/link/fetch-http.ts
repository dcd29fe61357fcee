/**
 * Reading the outbox over HTTP(S) from a plain static file server (nginx, serve-static, any CDN
 * cache): conditional GET for the index, `Range` + `If-Range` to resume a cut download.
 *
 * Every wait is bounded by one stall limit (link.timeoutSeconds): for the connection and the
 * answer's headers, and again between any two pieces of a body. A slow but moving download is
 * never cut; a silent one is. The station asks for `Accept-Encoding: identity` because byte
 * ranges and sizes refer to the file as stored, not to a compressed transfer.
 *
 * A user name and password in the address (https://user:pass@host/outbox/) are sent as HTTP
 * Basic authentication and never appear in records or logs.
 */
import { ReservError } from '../core/errors.ts';
import type {
  GetResult,
  OpenResult,
  Transport,
  TransportOptions,
  Validators,
} from './transport.ts';

interface Base {
  readonly url: URL;
  readonly source: string;
  readonly authorization: string | null;
}

function parseBase(from: string): Base {
  let url: URL;
  try {
    url = new URL(from.endsWith('/') ? from : `${from}/`);
  } catch {
    throw new ReservError('USAGE', { details: ['--from is not a valid http(s) address'] });
  }
  const authorization =
    url.username !== '' || url.password !== ''
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : null;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { url, source: url.href, authorization };
}

/** A timer that aborts when nothing has happened for `ms`; `touch()` on every sign of life. */
class Stall {
  readonly controller = new AbortController();
  stalled = false;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly ms: number) {
    this.touch();
  }
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, this.ms);
  }
  done(): void {
    clearTimeout(this.timer);
  }
}

function unreachable(source: string, what: string, cause?: unknown): ReservError {
  return new ReservError('SYNC_UNREACHABLE', {
    details: [`${source}: ${what}`],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Why a request failed, in operational words (an errno code, never a response body). */
function reason(error: unknown, stall: Stall, timeoutMs: number): string {
  if (stall.stalled) return `no data for ${Math.round(timeoutMs / 1000)} s`;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (error instanceof Error && error.name === 'AbortError') return 'stopped';
  return error instanceof Error ? error.name : 'request failed';
}

/** The validator a resume may use: a strong ETag, else the Last-Modified date (RFC 9110 13.1.5). */
function resumeValidator(headers: Headers): string | null {
  const etag = headers.get('etag');
  if (etag !== null && !etag.startsWith('W/')) return etag;
  return headers.get('last-modified');
}

export function httpTransport(from: string, options: TransportOptions): Transport {
  const base = parseBase(from);
  const { timeoutMs } = options;
  const urlOf = (relative: string) =>
    new URL(relative.split('/').map(encodeURIComponent).join('/'), base.url);

  async function request(
    relative: string,
    headers: Record<string, string>,
    stall: Stall,
    signal?: AbortSignal,
  ): Promise<Response> {
    const signals = [stall.controller.signal, options.signal, signal].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    try {
      return await fetch(urlOf(relative), {
        headers: {
          'accept-encoding': 'identity',
          // fetch adds `Cache-Control: no-cache` to conditional requests unless one is given,
          // and static servers (serve-static, Express) then never answer 304. max-age=0 asks
          // for the same revalidation without forbidding the 304.
          'cache-control': 'max-age=0',
          ...(base.authorization ? { authorization: base.authorization } : {}),
          ...headers,
        },
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      stall.done();
      throw unreachable(base.source, `${relative}: ${reason(error, stall, timeoutMs)}`, error);
    }
  }

  /** The body as chunks, each awaited within the stall limit. */
  async function* chunks(
    response: Response,
    relative: string,
    stall: Stall,
  ): AsyncGenerator<Uint8Array> {
    const reader = response.body!.getReader();
    try {
      for (;;) {
        stall.touch();
        const next = await reader.read().catch((error: unknown) => {
          throw unreachable(
            base.source,
            `${relative}: cut (${reason(error, stall, timeoutMs)})`,
            error,
          );
        });
        if (next.done) return;
        yield next.value;
      }
    } finally {
      stall.done();
      // Stopping early (size cap, stop) must free the connection.
      reader.cancel().catch(() => {});
    }
  }

  function refuse(relative: string, response: Response, stall: Stall): never {
    stall.done();
    void response.body?.cancel().catch(() => {});
    throw unreachable(base.source, `${relative}: HTTP ${response.status}`);
  }

  return {
    source: base.source,

    async get(relative: string, validators: Validators, maxBytes: number): Promise<GetResult> {
      const stall = new Stall(timeoutMs);
      const headers: Record<string, string> = {};
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const response = await request(relative, headers, stall);
      if (response.status === 304) {
        stall.done();
        return { kind: 'not-modified' };
      }
      if (response.status === 404 || response.status === 410) {
        stall.done();
        void response.body?.cancel().catch(() => {});
        return { kind: 'not-found' };
      }
      if (response.status !== 200) refuse(relative, response, stall);
      const parts: Uint8Array[] = [];
      let length = 0;
      for await (const chunk of chunks(response, relative, stall)) {
        length += chunk.byteLength;
        if (length > maxBytes)
          throw new ReservError('SYNC_INDEX_INVALID', {
            details: [`${relative} is larger than ${maxBytes} bytes`],
          });
        parts.push(chunk);
      }
      return {
        kind: 'ok',
        body: Buffer.concat(parts),
        validators: {
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
        },
      };
    },

    async open(relative, { offset, ifRange, signal }): Promise<OpenResult> {
      const stall = new Stall(timeoutMs);
      const headers: Record<string, string> = {};
      if (offset > 0) {
        headers.range = `bytes=${offset}-`;
        if (ifRange) headers['if-range'] = ifRange;
      }
      const response = await request(relative, headers, stall, signal);
      if (response.status === 404 || response.status === 410) {
        stall.done();
        void response.body?.cancel().catch(() => {});
        return { kind: 'not-found' };
      }
      if (response.status === 416) {
        stall.done();
        void response.body?.cancel().catch(() => {});
        return { kind: 'range-unsatisfiable' };
      }
      let start = 0;
      if (response.status === 206) {
        const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
        // A range that does not start where the file was cut cannot be appended: start again.
        if (m === null || Number(m[1]) !== offset) {
          stall.done();
          void response.body?.cancel().catch(() => {});
          return { kind: 'range-unsatisfiable' };
        }
        start = offset;
      } else if (response.status !== 200) refuse(relative, response, stall);
      return {
        kind: 'ok',
        offset: start,
        etag: resumeValidator(response.headers),
        body: chunks(response, relative, stall),
      };
    },
  };
}
