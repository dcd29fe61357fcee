/**
 * Delivering the station's audit log back to the exporter side whenever the link is up.
 *
 * Entries after `audit_delivery.delivered_through` go out in chunks (at most AUDIT_CHUNK_ENTRIES
 * entries or about CHUNK_BYTES of NDJSON) as FHIR AuditEvents (IHE BALP, the same lines as
 * `audit export`), each with a checkpoint of its last entry signed by the station's audit key.
 * Layout and signing: inbox-format.ts. The inbox is an HTTP address (the exporter's inbox
 * server) or a folder (a share or a USB disk); the folder must exist, so an unmounted disk is a
 * failure and not a quiet delivery to the empty mount point.
 *
 * The invariants:
 * - `delivered_through` moves on only after the inbox confirmed both files of a chunk (2xx or
 *   the files in place). A cut connection, a timeout or a refusal leaves it where it was, and the
 *   next run sends the same chunk again; the inbox takes an identical repeat as success.
 * - A chunk is a pure function of the log from its first entry: the checkpoint carries the time
 *   of the entry it names (not the time of sending), so a resent chunk has the same bytes. (When
 *   more entries were logged between a lost confirmation and the resend, the resent chunk may
 *   reach further; the AuditEvent ids, `audit-<seq>`, let the archive drop repeated entries.)
 * - Nothing is ever deleted from the station's audit log by delivery.
 *
 * Delivery is not itself written to the audit log: it is the configured transfer of the log to
 * the organisation's own archive, and an entry per delivery would leave one new entry to deliver
 * after every delivery, forever. Runs are recorded in `audit_delivery` and the operational log.
 * After the audit files, the station's status report (`status.json`) is delivered too.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  ensureAuditSigningKey,
  signCheckpoint,
  type AuditSigningKey,
} from '../audit/checkpoint.ts';
import { ENTRY_COLUMNS, toEntry, type AuditRow } from '../audit/entry.ts';
import { toAuditEvents } from '../audit/fhir-audit-event.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import { auditDeliveryState, linkState } from '../monitor/link-status.ts';
import type { Station } from '../station/station.ts';
import { stationStatus } from '../station/status.ts';
import { openEncrypted, type Db } from '../store/db.ts';
import {
  AUDIT_CHUNK_ENTRIES,
  auditFileBase,
  INBOX_FORMAT_VERSION,
  signRequest,
  storeOnce,
  storeReplace,
  STATUS_REPORT_FORMAT,
  type StationReport,
} from './inbox-format.ts';
import { STATION_NAME } from './outbox-format.ts';

/** A chunk is closed after the entry that takes its NDJSON past this size. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

interface Chunk {
  readonly from: number;
  readonly to: number;
  readonly entries: number;
  readonly body: Buffer;
  readonly lastHash: string;
  readonly lastAt: string;
}

/** The next chunk after `after`, or undefined when everything is delivered. */
export function readChunk(db: Db, after: number, stationName: string): Chunk | undefined {
  const rows = db
    .prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?`)
    .iterate(after, AUDIT_CHUNK_ENTRIES) as IterableIterator<AuditRow>;
  const parts: string[] = [];
  let bytes = 0;
  let first: AuditRow | undefined;
  let last: AuditRow | undefined;
  let entries = 0;
  for (const row of rows) {
    first ??= row;
    last = row;
    entries++;
    for (const event of toAuditEvents(toEntry(row), stationName)) {
      const line = JSON.stringify(event) + '\n';
      parts.push(line);
      bytes += Buffer.byteLength(line);
    }
    if (bytes >= CHUNK_BYTES) break;
  }
  if (first === undefined || last === undefined) return undefined;
  return {
    from: first.seq,
    to: last.seq,
    entries,
    body: Buffer.from(parts.join(''), 'utf8'),
    lastHash: last.hash,
    lastAt: last.at,
  };
}

/** Where the files go: one PUT per file, over HTTP or into a folder. */
interface Target {
  put(relative: string, body: Buffer, mode: 'once' | 'replace'): Promise<void>;
}

function httpTarget(base: string, timeoutMs: number, key: AuditSigningKey): Target {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    async put(relative, body) {
      let response: Response;
      try {
        response = await fetch(new URL(relative, root), {
          method: 'PUT',
          body,
          headers: {
            'content-type': relative.endsWith('.ndjson')
              ? 'application/fhir+ndjson'
              : 'application/json',
            ...signRequest('PUT', relative, body, key),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
      } catch (cause) {
        throw new ReservError('AUDIT_DELIVERY_FAILED', {
          details: [`inbox not reached for ${relative}`],
          cause,
        });
      }
      if (!response.ok)
        throw new ReservError('AUDIT_DELIVERY_FAILED', {
          details: [
            `the inbox answered ${response.status} for ${relative}`,
            ...(response.status === 409
              ? [
                  'the inbox holds a different file of that name: compare the logs before anything else',
                ]
              : []),
          ],
        });
    },
  };
}

function folderTarget(folder: string): Target {
  return {
    put: (relative, body, mode) =>
      Promise.resolve().then(() => writeFolderFile(folder, relative, body, mode)),
  };
}

function writeFolderFile(
  folder: string,
  relative: string,
  body: Buffer,
  mode: 'once' | 'replace',
): void {
  // The folder itself must be there: an unmounted disk must fail, not fill the mount point.
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new ReservError('AUDIT_DELIVERY_FAILED', {
      details: [`the inbox folder ${folder} does not exist (is the share or disk mounted?)`],
    });
  const file = path.join(folder, ...relative.split('/'));
  let outcome: 'created' | 'same' | 'conflict' | undefined;
  try {
    if (mode === 'replace') storeReplace(file, body);
    else outcome = storeOnce(file, body);
  } catch (cause) {
    throw new ReservError('AUDIT_DELIVERY_FAILED', { details: [`cannot write ${file}`], cause });
  }
  if (outcome === 'conflict')
    throw new ReservError('AUDIT_DELIVERY_FAILED', {
      details: [`${file} exists with other content: compare the logs before anything else`],
    });
}

function report(station: Station, config: Config, now: Date, head: number): StationReport {
  const status = stationStatus(station, now, config.freshness);
  const link = linkState(station.control);
  const activeAlerts = station.control
    .prepare('SELECT kind FROM alert_state WHERE active = 1 ORDER BY kind')
    .pluck()
    .all() as string[];
  return {
    format: STATUS_REPORT_FORMAT,
    formatVersion: INBOX_FORMAT_VERSION,
    station: status.station.name,
    at: now.toISOString(),
    // The snapshot history grows for ever; the exporter side needs only the recent part.
    status: { ...status, history: status.history.slice(0, 20) },
    link: {
      lastAttemptAt: link.lastAttempt?.at ?? null,
      lastOutcome: link.lastAttempt?.outcome ?? null,
      lastCode: link.lastAttempt?.code ?? null,
      lastSuccessAt: link.lastSuccess?.at ?? null,
      exporterHeartbeatAt: link.lastHeartbeat?.exporterHeartbeatAt ?? null,
    },
    audit: { deliveredThrough: auditDeliveryState(station.control).deliveredThrough, head },
    activeAlerts,
  };
}

export async function deliverAudit(
  station: Station,
  config: Config,
  deps: { clock: Clock; log: Logger },
): Promise<{ delivered: number; through: number }> {
  const control = station.control;
  control.prepare('INSERT OR IGNORE INTO audit_delivery (singleton) VALUES (1)').run();
  const start = auditDeliveryState(control).deliveredThrough;
  const inbox = config.link.inbox;
  if (inbox === null) return { delivered: 0, through: start };
  const attemptAt = deps.clock.now().toISOString();
  control
    .prepare('UPDATE audit_delivery SET last_attempt_at = ? WHERE singleton = 1')
    .run(attemptAt);
  const name = station.row().name;
  let through = start;
  let delivered = 0;
  try {
    if (!STATION_NAME.test(name))
      throw new ReservError('AUDIT_DELIVERY_FAILED', {
        details: [`the station name "${name}" cannot name a folder in the inbox`],
      });
    const key = ensureAuditSigningKey(station.paths);
    const target = /^https?:\/\//i.test(inbox)
      ? httpTarget(inbox, config.link.timeoutSeconds * 1000, key)
      : folderTarget(inbox);
    const advance = control.prepare(
      'UPDATE audit_delivery SET delivered_through = ?, last_success_at = ? WHERE singleton = 1',
    );
    let head = start;
    if (existsSync(station.paths.audit)) {
      const db = openEncrypted(station.paths.audit, station.dbKey, { readonly: true });
      try {
        for (
          let chunk = readChunk(db, through, name);
          chunk;
          chunk = readChunk(db, through, name)
        ) {
          const base = `${name}/audit/${auditFileBase(chunk.from, chunk.to)}`;
          const checkpoint = signCheckpoint(
            { seq: chunk.to, hash: chunk.lastHash, at: chunk.lastAt, stationName: name },
            key.privateKey,
          );
          await target.put(`${base}.ndjson`, chunk.body, 'once');
          await target.put(
            `${base}.checkpoint.json`,
            Buffer.from(JSON.stringify(checkpoint, null, 2) + '\n', 'utf8'),
            'once',
          );
          // Only now does the other side hold both files (see the module comment).
          through = chunk.to;
          delivered += chunk.entries;
          advance.run(through, deps.clock.now().toISOString());
          deps.log.info('audit.delivered', { from: chunk.from, to: chunk.to });
        }
        head = (db.prepare('SELECT max(seq) FROM audit_entry').pluck().get() as number | null) ?? 0;
      } finally {
        db.close();
      }
    }
    const body = Buffer.from(
      JSON.stringify(report(station, config, deps.clock.now(), head), null, 2) + '\n',
      'utf8',
    );
    await target.put(`${name}/status.json`, body, 'replace');
    control
      .prepare(
        'UPDATE audit_delivery SET last_success_at = ?, last_error = NULL WHERE singleton = 1',
      )
      .run(deps.clock.now().toISOString());
    return { delivered, through };
  } catch (cause) {
    // A station-side problem keeps its own code (an unreadable audit key says what to fix).
    const error =
      cause instanceof ReservError && cause.code !== 'INTERNAL'
        ? cause
        : new ReservError('AUDIT_DELIVERY_FAILED', { cause });
    const why = [error.code, ...error.details].join(': ').slice(0, 500);
    control.prepare('UPDATE audit_delivery SET last_error = ? WHERE singleton = 1').run(why);
    deps.log.warn('audit.delivery_failed', { reason: op(why), through });
    throw error;
  }
}
