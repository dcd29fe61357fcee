/**
 * An exporter's outbox for link tests, written by hand exactly as src/link/outbox-format.ts lays
 * it out (the exporter's own publisher is tested on its side), served over real HTTP on loopback
 * by a third-party static file server, with a small proxy in front that can cut, pause or refuse
 * transfers the way a bad network does.
 *
 * serve-static (the Express static file server: ETag, Last-Modified, Range, If-Range, conditional
 * GET) stands in for the Debian nginx the issue names: an apt step would break the rule that
 * every test runs after `npm ci` alone.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import serveStatic from 'serve-static';
import type { SnapshotManifest } from '../../src/snapshot/format.ts';
import { readHeader } from '../../src/snapshot/verify.ts';
import {
  HEARTBEAT_FORMAT,
  INDEX_FORMAT,
  OUTBOX_FORMAT_VERSION,
  type Heartbeat,
  type OutboxIndex,
  type OutboxSnapshotRef,
} from '../../src/link/outbox-format.ts';

/** The signed manifest of a built snapshot file (read, not verified: tests build their own). */
export function manifestOf(file: string): SnapshotManifest {
  return JSON.parse(readHeader(file).manifestBytes.toString('utf8')) as SnapshotManifest;
}

function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Publish `snapshotFile` for `station` in the order the format requires: the file under its
 * unique name first, then index.json replaced atomically, then files beyond `keep` deleted.
 * `keep: 1` deletes even the previous snapshot, which the real exporter never does: tests use
 * it to make a file vanish under a station that is still fetching it.
 */
export function publish(
  outbox: string,
  station: string,
  snapshotFile: string,
  options: { keep?: number; at?: string } = {},
): OutboxIndex {
  const m = manifestOf(snapshotFile);
  const dir = path.join(outbox, 'stations', station);
  mkdirSync(path.join(dir, 'snapshots'), { recursive: true });
  const name = `${String(m.sequence).padStart(6, '0')}-${m.snapshotId}.rjsnap`;
  const target = path.join(dir, 'snapshots', name);
  copyFileSync(snapshotFile, `${target}.tmp`);
  renameSync(`${target}.tmp`, target);
  const ref: OutboxSnapshotRef = {
    sequence: m.sequence,
    snapshotId: m.snapshotId,
    file: `snapshots/${name}`,
    size: statSync(target).size,
    sha256: sha256(target),
    createdAt: m.createdAt,
    transactionTime: m.transactionTime,
  };
  const indexFile = path.join(dir, 'index.json');
  const previous = existsSync(indexFile)
    ? (JSON.parse(readFileSync(indexFile, 'utf8')) as OutboxIndex)
    : null;
  const keep = options.keep ?? 3;
  const older = previous
    ? [stripIndex(previous), ...previous.retained].filter((r) => r.file !== ref.file)
    : [];
  const retained = older.slice(0, keep - 1);
  const index: OutboxIndex = {
    format: INDEX_FORMAT,
    formatVersion: OUTBOX_FORMAT_VERSION,
    station,
    publishedAt: options.at ?? new Date().toISOString(),
    ...ref,
    retained,
  };
  writeAtomic(indexFile, JSON.stringify(index, null, 2) + '\n');
  const kept = new Set([ref.file, ...retained.map((r) => r.file)]);
  for (const file of readdirSync(path.join(dir, 'snapshots')))
    if (!kept.has(`snapshots/${file}`)) rmSync(path.join(dir, 'snapshots', file), { force: true });
  writeHeartbeat(outbox, options.at ?? new Date().toISOString());
  return index;
}

function stripIndex(index: OutboxIndex): OutboxSnapshotRef {
  const { sequence, snapshotId, file, size, sha256: hash, createdAt, transactionTime } = index;
  return { sequence, snapshotId, file, size, sha256: hash, createdAt, transactionTime };
}

export function writeHeartbeat(outbox: string, at: string): Heartbeat {
  const heartbeat: Heartbeat = {
    format: HEARTBEAT_FORMAT,
    formatVersion: OUTBOX_FORMAT_VERSION,
    exporter: 'test-exporter',
    at,
    schedule: '0 6,18 * * *',
    timeZone: 'Europe/Stockholm',
    expectedIntervalMinutes: 720,
    graceMinutes: 60,
    lastRun: { startedAt: at, finishedAt: at, outcome: 'published' },
    lastPublishedAt: at,
  };
  mkdirSync(outbox, { recursive: true });
  writeAtomic(path.join(outbox, 'heartbeat.json'), JSON.stringify(heartbeat, null, 2) + '\n');
  return heartbeat;
}

export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** The outbox folder over HTTP by serve-static, as nginx would serve it. */
export async function serveOutbox(dir: string): Promise<Served> {
  const files = serveStatic(dir, { index: false, dotfiles: 'ignore', cacheControl: false });
  const server = createServer((req, res) => {
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found\n');
    });
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/`, port, close: closer(server, sockets) };
}

export interface Seen {
  readonly url: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly ifNoneMatch: string | undefined;
  status: number;
}

/**
 * What the proxy does to the next snapshot-file transfer: `cut` closes the connection after
 * `bytes` body bytes (once); `pause` stops after `bytes` until `release()` (once); `refuse`
 * destroys every connection at once until set back to `pass`.
 */
export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'cut'; bytes: number }
  | { kind: 'pause'; bytes: number }
  | { kind: 'refuse' };

export interface Proxy extends Served {
  readonly seen: Seen[];
  set(mode: ProxyMode): void;
  /** Resolves when a paused transfer has reached its pause point. */
  paused(): Promise<void>;
  release(): void;
}

export async function startProxy(target: Served): Promise<Proxy> {
  const seen: Seen[] = [];
  let mode: ProxyMode = { kind: 'pass' };
  let onPaused: (() => void) | undefined;
  let pausedAt: Promise<void> = new Promise((r) => (onPaused = r));
  let release: (() => void) | undefined;
  const server = createServer((req, res) => {
    if (mode.kind === 'refuse') {
      req.socket.destroy();
      return;
    }
    const entry: Seen = {
      url: req.url ?? '',
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      ifNoneMatch: req.headers['if-none-match'],
      status: 0,
    };
    seen.push(entry);
    const upstream = request(
      `${target.url.replace(/\/$/, '')}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (up: IncomingMessage) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        const current = mode;
        const snapshot = (req.url ?? '').endsWith('.rjsnap');
        if (!snapshot || current.kind === 'pass' || current.kind === 'refuse') {
          up.pipe(res);
          return;
        }
        mode = { kind: 'pass' }; // once
        let sent = 0;
        let cut = false;
        let ended = false;
        // While paused, the rest of the body waits here (it may all have arrived already).
        let held: Buffer[] | null = null;
        up.on('data', (chunk: Buffer) => {
          if (cut) return;
          if (held !== null) return void held.push(chunk);
          if (sent >= current.bytes) return void res.write(chunk);
          const part = chunk.subarray(0, current.bytes - sent);
          sent += part.length;
          res.write(part);
          if (sent < current.bytes) return;
          if (current.kind === 'cut') {
            // Let the written bytes leave, then drop the connection mid-body.
            cut = true;
            setTimeout(() => req.socket.destroy(), 50);
            up.destroy();
            return;
          }
          held = [chunk.subarray(part.length)];
          release = () => {
            const rest = held ?? [];
            held = null;
            for (const c of rest) res.write(c);
            if (ended) res.end();
          };
          onPaused?.();
        });
        up.on('end', () => {
          ended = true;
          if (held === null && !cut) res.end();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const sockets = track(server);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    seen,
    set: (m) => {
      mode = m;
      if (m.kind === 'pause') pausedAt = new Promise((r) => (onPaused = r));
    },
    paused: () => pausedAt,
    release: () => {
      const go = release;
      release = undefined;
      go?.();
    },
    close: closer(server, sockets),
  };
}

/** A loopback port nobody listens on (taken, then let go). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
