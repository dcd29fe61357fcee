/**
 * The exporter side's inbox server: stations PUT their audit log chunks, the chunks' signed
 * checkpoints and their status report here (layout and signing: src/link/inbox-format.ts).
 * Plain node:http, because it answers one method on three path shapes and must control how much
 * of a body it reads before refusing it.
 *
 * Checks, in order, each with a stable status:
 *   405 any method but PUT · 404 a path that is not an inbox file · 403 a station not in the
 *   configuration · 401 no signature headers · 403 a signature that does not verify with the
 *   station's audit.pub (checked before the body is read) · 413 a body over the cap ·
 *   403 a body whose SHA-256 differs from the signed one · 422 a checkpoint that is not the
 *   station's signed head of that very chunk, or a status report that is not one ·
 *   409 an audit file that exists with other bytes, or a status report older than the one held ·
 *   201 stored · 200 an identical repeat (stations resend when a confirmation was lost).
 * Nothing is written before every check has passed, and files appear whole (temp file, flush,
 * link or rename). The server never deletes or changes an audit file it holds.
 */
import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { verifyCheckpoint } from '../audit/checkpoint.ts';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { op, stackFrames, type Logger } from '../core/log.ts';
import {
  HEADER,
  parseInboxPath,
  readIfExists,
  sha256Hex,
  storeOnce,
  storeReplace,
  STATUS_REPORT_FORMAT,
  verifyRequest,
  type InboxPath,
} from '../link/inbox-format.ts';
import { parsePublicKey } from '../snapshot/keys.ts';

export interface InboxOptions {
  /** The address to bind; the exporter's config decides (a LAN address when stations are remote). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The inbox folder; station folders are created below it. */
  readonly dir: string;
  /** The stations that may deliver, each with the public half of its audit key (audit.pub). */
  readonly stations: readonly { readonly name: string; readonly auditPublicKeyPem: string }[];
  /** Largest body accepted, in bytes (default 64 MiB; a station's chunk is about 8 MiB). */
  readonly maxBodyBytes?: number;
}

export interface RunningInbox {
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > cap) return Promise.reject(new Refusal(413, 'body too large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        reject(new Refusal(413, 'body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A station whose connection broke sends the whole file again; nothing of it is kept.
    req.on('error', () => reject(new Refusal(400, 'connection closed mid-body')));
    req.on('aborted', () => reject(new Refusal(400, 'connection closed mid-body')));
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The file's checks after the signature and hash: the checkpoint and the status report. */
function checkContent(target: InboxPath, body: Buffer, key: KeyObject) {
  if (target.kind === 'checkpoint') {
    const c = parseJson(body) as { seq?: unknown; station?: unknown } | undefined;
    if (!verifyCheckpoint(c, key) || c?.seq !== target.to || c.station !== target.station)
      throw new Refusal(422, 'not the station’s signed checkpoint of this chunk');
  } else if (target.kind === 'status') {
    const r = parseJson(body) as { format?: unknown; station?: unknown; at?: unknown } | undefined;
    if (
      r?.format !== STATUS_REPORT_FORMAT ||
      r.station !== target.station ||
      typeof r.at !== 'string' ||
      Number.isNaN(Date.parse(r.at))
    )
      throw new Refusal(422, 'not a status report of this station');
  } else if (body.length === 0) {
    throw new Refusal(422, 'empty audit file');
  }
}

export async function startInbox(
  options: InboxOptions,
  deps: { log: Logger; clock: Clock },
): Promise<RunningInbox> {
  const keys = new Map(
    options.stations.map((s) => [
      s.name,
      parsePublicKey(s.auditPublicKeyPem, 'ed25519', `audit key of station ${s.name}`),
    ]),
  );
  const cap = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const handle = async (req: IncomingMessage): Promise<{ status: number; result: string }> => {
    if (req.method !== 'PUT') throw new Refusal(405, 'only PUT');
    const pathname = (req.url ?? '').split('?')[0] ?? '';
    const relative = pathname.startsWith('/') ? pathname.slice(1) : '';
    const target = parseInboxPath(relative);
    if (target === undefined) throw new Refusal(404, 'not an inbox file');
    const key = keys.get(target.station);
    if (key === undefined) throw new Refusal(403, 'unknown station');
    const sha256 = req.headers[HEADER.sha256];
    const signature = req.headers[HEADER.signature];
    if (typeof sha256 !== 'string' || typeof signature !== 'string')
      throw new Refusal(401, 'unsigned request');
    if (!verifyRequest('PUT', relative, sha256, signature, key))
      throw new Refusal(403, 'signature does not verify');
    const body = await readBody(req, cap);
    if (sha256Hex(body) !== sha256) throw new Refusal(403, 'body differs from the signed hash');
    checkContent(target, body, key);
    // From here on everything is synchronous, so two requests cannot interleave their checks
    // and writes (status.json's "not older" check and its replacement are one step).
    const file = path.join(options.dir, ...relative.split('/'));
    if (target.kind === 'status') {
      const held = readIfExists(file);
      const heldAt = held ? (parseJson(held) as { at?: string } | undefined)?.at : undefined;
      const newAt = (parseJson(body) as { at: string }).at;
      if (heldAt !== undefined && Date.parse(newAt) < Date.parse(heldAt))
        throw new Refusal(409, 'older than the status report held');
      storeReplace(file, body);
      return { status: 201, result: 'stored' };
    }
    const outcome = storeOnce(file, body);
    if (outcome === 'conflict') throw new Refusal(409, 'a different file of this name exists');
    return outcome === 'created'
      ? { status: 201, result: 'created' }
      : { status: 200, result: 'same' };
  };

  const respond = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    if (res.headersSent) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(status === 405 ? { allow: 'PUT' } : {}),
      // A refused request's body may be unread: close rather than read gigabytes to keep alive.
      ...(status >= 400 ? { connection: 'close' } : {}),
    });
    res.end(JSON.stringify(body) + '\n');
  };

  const server = createServer((req, res) => {
    handle(req).then(
      ({ status, result }) => {
        deps.log.info('inbox.stored', { route: op(routeOf(req)), status, result: op(result) });
        respond(res, status, { ok: true, result, at: deps.clock.now().toISOString() });
      },
      (error: unknown) => {
        if (error instanceof Refusal) {
          deps.log.warn('inbox.refused', {
            route: op(routeOf(req)),
            status: error.status,
            reason: op(error.reason),
          });
          respond(res, error.status, { ok: false, error: error.reason });
          return;
        }
        const e = toReservError(error);
        deps.log.error('inbox.failed', { code: op(e.code), stack: stackFrames(error) });
        respond(res, 500, { ok: false, error: 'the inbox could not store the file' });
      },
    );
  });
  server.requestTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown) => reject(toReservError(error));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo | null;
  if (address === null) throw new ReservError('INTERNAL', { details: ['inbox has no address'] });
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The path's shape for the log (station names are operational; no file contents). */
function routeOf(req: IncomingMessage): string {
  return `${req.method ?? '?'} ${(req.url ?? '').split('?')[0]!.slice(0, 200)}`;
}
