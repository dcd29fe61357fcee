/**
 * The `inbox` part of the exporter's config: where the exporter listens for the stations'
 * deliveries (audit logs and status reports, src/exporter/inbox.ts), where it keeps them, and
 * when a station's silence becomes an alert.
 *
 *   "inbox": { "host": "0.0.0.0", "port": 8443, "dir": "/var/lib/reservjournal-inbox",
 *              "criticalHours": 26, "repeatHours": 6 }
 *
 * The inbox is the one part of the exporter that listens; it accepts only PUTs signed by a
 * station's audit key, so binding it to the network the stations are on is expected.
 */
import path from 'node:path';

export interface InboxConfig {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** A station whose last report is older than this (or that reports critical data) alerts. */
  readonly criticalHours: number;
  /** A lasting station alert is sent again after this many hours. */
  readonly repeatHours: number;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positive(v: unknown, fallback: number): number | undefined {
  if (v === undefined) return fallback;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

export function parseInbox(
  raw: unknown,
  baseDir: string,
  problems: string[],
): InboxConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) {
    problems.push('inbox must be an object with host, port and dir');
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (!['host', 'port', 'dir', 'criticalHours', 'repeatHours'].includes(key))
      problems.push(
        `inbox.${key} is not a known setting (host, port, dir, criticalHours, repeatHours)`,
      );
  const host = raw.host === undefined ? '127.0.0.1' : raw.host;
  if (typeof host !== 'string' || host.trim() === '')
    problems.push('inbox.host must be the address to listen on, e.g. "0.0.0.0" or "127.0.0.1"');
  const port = raw.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
    problems.push('inbox.port must be a whole number from 0 to 65535');
  const dir = typeof raw.dir === 'string' && raw.dir.trim() !== '' ? raw.dir.trim() : undefined;
  if (dir === undefined) problems.push('inbox.dir must name the folder deliveries are kept in');
  const criticalHours = positive(raw.criticalHours, 26);
  if (criticalHours === undefined)
    problems.push('inbox.criticalHours must be a positive number of hours');
  const repeatHours = positive(raw.repeatHours, 6);
  if (repeatHours === undefined)
    problems.push('inbox.repeatHours must be a positive number of hours');
  if (
    typeof host !== 'string' ||
    typeof port !== 'number' ||
    dir === undefined ||
    criticalHours === undefined ||
    repeatHours === undefined
  )
    return undefined;
  return Object.freeze({
    host: host.trim(),
    port,
    dir: path.resolve(baseDir, dir),
    criticalHours,
    repeatHours,
  });
}
