/**
 * The exporter's configuration: one JSON file (`reservjournal exporter run --config FILE`),
 * validated once into a frozen object, with every problem listed at once (CONFIG_INVALID) in
 * words an operator can act on. Relative paths resolve against the config file's folder, so a
 * config works from any working directory. Keys are loaded here too: a wrong key path is a
 * configuration problem found at start, not at 06:00 when the first build needs it.
 *
 * Two folders matter for data protection. `stateDir` holds the pulled journal in clear text
 * while a run works on it; `outbox` is served to stations over plain HTTP. Neither may lie inside
 * the other, or the clear-text pull would be served to anyone who can reach the outbox.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { STATION_NAME } from '../link/outbox-format.ts';
import { parseAlertCommand, type AlertHook } from '../monitor/alert.ts';
import type { Environment } from '../snapshot/format.ts';
import { loadPrivateKey } from '../snapshot/keys.ts';
import type { SourceSpec } from '../source/source.ts';
import { parseSourceSpec } from '../source/spec.ts';
import { parseInbox, type InboxConfig } from './config-inbox.ts';
import { keyProblem, parseStations, type ExporterStation } from './config-stations.ts';
import { checkTimeZone, DEFAULT_SCHEDULE, DEFAULT_TIME_ZONE, scheduleProblem } from './schedule.ts';

export interface ExporterConfig {
  /** The config file itself (for messages). */
  readonly file: string;
  readonly name: string;
  readonly source: SourceSpec;
  readonly schedule: string;
  readonly timeZone: string;
  readonly graceMinutes: number;
  readonly signKeyFile: string;
  readonly signKey: KeyObject;
  readonly signPublicKey: KeyObject;
  readonly environment: Environment;
  readonly outbox: string;
  readonly stateDir: string;
  readonly keep: number;
  readonly stations: readonly ExporterStation[];
  readonly alert: AlertHook | undefined;
  /** Where stations deliver their audit logs and status reports back; absent: no inbox. */
  readonly inbox: InboxConfig | undefined;
}

export type { ExporterStation } from './config-stations.ts';

export const DEFAULT_GRACE_MINUTES = 60;
export const DEFAULT_KEEP = 3;

const KNOWN = [
  'name',
  'source',
  'schedule',
  'timeZone',
  'graceMinutes',
  'signKey',
  'environment',
  'outbox',
  'stateDir',
  'keep',
  'stations',
  'alert',
  'inbox',
];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function wholeNumber(
  raw: unknown,
  fallback: number,
  min: number,
  max: number,
  problem: string,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    problems.push(problem);
    return fallback;
  }
  return raw;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function parseAlert(raw: unknown, problems: string[]): AlertHook | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) {
    problems.push('alert must be an object with command and/or webhook');
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (!['command', 'webhook', 'timeoutSeconds'].includes(key))
      problems.push(`alert.${key} is not a known setting (command, webhook, timeoutSeconds)`);
  const command = raw.command === undefined ? undefined : parseAlertCommand(raw.command, problems);
  let webhook: string | undefined;
  if (raw.webhook !== undefined) {
    const value = text(raw.webhook);
    let ok = false;
    try {
      ok = value !== undefined && /^https?:$/.test(new URL(value).protocol);
    } catch {
      ok = false;
    }
    if (ok) webhook = value;
    else problems.push('alert.webhook must be an http(s) address');
  }
  const timeoutSeconds = wholeNumber(
    raw.timeoutSeconds,
    10,
    1,
    600,
    'alert.timeoutSeconds must be a whole number of seconds from 1 to 600',
    problems,
  );
  if (command === undefined && webhook === undefined) {
    if (raw.command === undefined && raw.webhook === undefined)
      problems.push('alert needs a command, a webhook or both (or leave alert out)');
    return undefined;
  }
  return Object.freeze({
    ...(command && { command: Object.freeze(command) }),
    ...(webhook && { webhook }),
    timeoutMs: timeoutSeconds * 1000,
  });
}

/** Validate a parsed config object; `file` is where it came from (paths resolve against its folder). */
export function parseExporterConfig(
  raw: unknown,
  file: string,
  now: Date,
): { config?: ExporterConfig; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(raw)) return { problems: ['the configuration must be a JSON object'] };
  const baseDir = path.dirname(file);
  for (const key of Object.keys(raw))
    if (!KNOWN.includes(key)) problems.push(`unknown setting "${key}"`);

  const name = typeof raw.name === 'string' ? raw.name : undefined;
  if (name === undefined || !STATION_NAME.test(name))
    problems.push('name must be 1-64 letters, digits, ".", "_" or "-" (it names this exporter)');

  const source = parseSourceSpec(raw.source, baseDir);
  problems.push(...source.problems);

  const timeZone = raw.timeZone === undefined ? DEFAULT_TIME_ZONE : text(raw.timeZone);
  const zoneOk = timeZone !== undefined && checkTimeZone(timeZone);
  if (!zoneOk) problems.push('timeZone must be an IANA time zone such as Europe/Stockholm');
  const schedule = raw.schedule === undefined ? DEFAULT_SCHEDULE : text(raw.schedule);
  if (schedule === undefined)
    problems.push(`schedule must be a cron expression such as "${DEFAULT_SCHEDULE}"`);
  else if (zoneOk) {
    const problem = scheduleProblem(schedule, timeZone, now);
    if (problem !== undefined) problems.push(`schedule ${problem}`);
  }
  const graceMinutes = wholeNumber(
    raw.graceMinutes,
    DEFAULT_GRACE_MINUTES,
    0,
    7 * 24 * 60,
    'graceMinutes must be a whole number of minutes from 0 to 10080',
    problems,
  );
  const keep = wholeNumber(
    raw.keep,
    DEFAULT_KEEP,
    2,
    100,
    'keep must be a whole number from 2 to 100 (the newest snapshot and the one before it, at least)',
    problems,
  );
  const environment = raw.environment === undefined ? 'prod' : raw.environment;
  if (environment !== 'prod' && environment !== 'test')
    problems.push('environment must be "prod" or "test" (stations accept only their own)');

  let signKey: KeyObject | undefined;
  const signKeyPath = text(raw.signKey);
  if (signKeyPath === undefined)
    problems.push('signKey must name the exporter.key file (from `reservjournal keys exporter`)');
  else
    try {
      signKey = loadPrivateKey(path.resolve(baseDir, signKeyPath), 'ed25519');
    } catch (error) {
      problems.push(`signKey: ${keyProblem(error)}`);
    }

  const outboxRaw = text(raw.outbox);
  const stateRaw = text(raw.stateDir);
  if (outboxRaw === undefined)
    problems.push('outbox must name the folder stations fetch from (served as static files)');
  if (stateRaw === undefined)
    problems.push('stateDir must name a private folder for work files and sequence numbers');
  const outbox = outboxRaw && path.resolve(baseDir, outboxRaw);
  const stateDir = stateRaw && path.resolve(baseDir, stateRaw);
  if (outbox && stateDir && (inside(stateDir, outbox) || inside(outbox, stateDir)))
    problems.push(
      'stateDir and outbox must be separate folders, neither inside the other: work files hold the journal unencrypted and the outbox is served to stations',
    );

  const stations = parseStations(raw.stations, baseDir, problems);
  const alert = parseAlert(raw.alert, problems);
  const inbox = parseInbox(raw.inbox, baseDir, problems);
  if (inbox && stations.length > 0 && !stations.some((s) => s.auditPublicKeyPem))
    problems.push(
      "inbox is set but no station has an auditKey: list each station's audit.pub so its deliveries can be checked",
    );
  if (inbox && outbox && stateDir && (inside(inbox.dir, outbox) || inside(outbox, inbox.dir)))
    problems.push('inbox.dir and outbox must be separate folders (audit logs are never served)');

  if (problems.length > 0) return { problems };
  const config: ExporterConfig = {
    file,
    name: name!,
    source: source.spec!,
    schedule: schedule!,
    timeZone: timeZone!,
    graceMinutes,
    signKeyFile: path.resolve(baseDir, signKeyPath!),
    signKey: signKey!,
    signPublicKey: createPublicKey(signKey!),
    environment: environment as Environment,
    outbox: outbox!,
    stateDir: stateDir!,
    keep,
    stations: Object.freeze(stations),
    alert,
    inbox,
  };
  return { config: Object.freeze(config), problems };
}

/** Read and validate the config file, or throw CONFIG_FILE_UNREADABLE / CONFIG_INVALID. */
export function loadExporterConfig(file: string, now: Date): ExporterConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ReservError('CONFIG_FILE_UNREADABLE', { details: [`file: ${file}`], cause });
  }
  const { config, problems } = parseExporterConfig(raw, file, now);
  if (config === undefined)
    throw new ReservError('CONFIG_INVALID', { details: [`file: ${file}`, ...problems] });
  return config;
}
