/**
 * How a station reads the outbox: over HTTP(S) from any static file server, or from a folder (a
 * network share or a USB stick). Both answer the same two questions, so the sync logic above
 * them is one piece of code:
 *
 * - `get`: a small file (index.json, heartbeat.json), conditionally when validators are given;
 * - `open`: a snapshot file from a byte offset, for downloads that resume where they were cut.
 *
 * A transport never decides what an answer means for the station; it reports what the server
 * or the disk said. Failures to reach the outbox at all are SYNC_UNREACHABLE.
 */
import { ReservError } from '../core/errors.ts';
import { folderTransport } from './fetch-folder.ts';
import { httpTransport } from './fetch-http.ts';

export interface Validators {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type GetResult =
  | { readonly kind: 'ok'; readonly body: Buffer; readonly validators: Validators }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'not-found' };

export type OpenResult =
  | { readonly kind: 'not-found' }
  /** The offset asked for is past the end of the file (HTTP 416): start again from zero. */
  | { readonly kind: 'range-unsatisfiable' }
  | {
      readonly kind: 'ok';
      /** Where the body starts in the file: the offset asked for, or 0 when the source restarted. */
      readonly offset: number;
      /** The file's validator (ETag), used to resume it later with If-Range. */
      readonly etag: string | null;
      readonly body: AsyncIterable<Uint8Array>;
    };

export interface OpenOptions {
  readonly offset: number;
  /** Resume only if the file still has this validator; otherwise the whole file comes back. */
  readonly ifRange: string | null;
  /** Aborted when the caller gives up (stall timeout, service stop). */
  readonly signal: AbortSignal;
}

export interface Transport {
  /** Where the outbox is, for records and logs: never holds a user name or password. */
  readonly source: string;
  get(relative: string, validators: Validators, maxBytes: number): Promise<GetResult>;
  open(relative: string, options: OpenOptions): Promise<OpenResult>;
}

export interface TransportOptions {
  /** Longest wait for a connection, an answer or the next bytes of a body. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** An `http(s)://` address is read over HTTP; anything else is a folder. */
export function transportFor(from: string, cwd: string, options: TransportOptions): Transport {
  if (/^https?:\/\//i.test(from)) return httpTransport(from, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from))
    throw new ReservError('USAGE', {
      details: [`--from must be an http(s) address or a folder, not ${from.split(':')[0]}:`],
    });
  return folderTransport(from, cwd, options);
}

/** `from` as it may be shown: an address without its user name and password. */
export function shownOutbox(from: string): string {
  return from.replace(/^(https?:\/\/)[^@/]*@/i, '$1');
}

export const NO_VALIDATORS: Validators = { etag: null, lastModified: null };
