/**
 * Station configuration: typed, validated once, frozen, passed in.
 *
 * Precedence, lowest first: built-in defaults < config file < environment < command-line flags.
 * The config file is `--config FILE`, or RESERVJOURNAL_CONFIG, or `config.json` in the data
 * directory when it exists. Validation collects every problem before failing, in words an
 * operator can act on. Nothing here reads process.env or argv itself: the CLI hands them in.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import type { LogLevel } from '../core/log.ts';
import { parseAlertCommand } from '../monitor/alert.ts';

export interface Config {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  /** How many complete snapshots a station keeps (at least 2: the active and the one before). */
  readonly keepSnapshots: number;
  /** Freshness: the data is a warning past this many hours, critical past the second. */
  readonly freshness: { readonly warningHours: number; readonly criticalHours: number };
  /**
   * Whom to call for access, shown on the sign-in page so that nobody stands at a locked screen
   * without a next step: phone numbers as text, and a line of local instructions.
   */
  readonly contacts: {
    readonly onCallManager: string | null;
    readonly nurse: string | null;
    readonly instructions: string | null;
  };
  /**
   * The link to the exporter (`station run`, `sync`): where snapshots come from (an outbox URL
   * or folder), how often to look, and where the audit log is delivered back. Null `from`
   * means the station is fed by hand with `import`.
   */
  readonly link: {
    readonly from: string | null;
    readonly intervalMinutes: number;
    readonly timeoutSeconds: number;
    readonly inbox: string | null;
  };
  /** Who hears about a stale station, a refused snapshot or a broken link. */
  readonly alert: {
    readonly command: readonly string[] | null;
    readonly webhook: string | null;
    /** A lasting condition is alerted again after this many hours. */
    readonly repeatHours: number;
  };
}

export type PartialConfig = {
  dataDir?: unknown;
  host?: unknown;
  port?: unknown;
  timeZone?: unknown;
  logLevel?: unknown;
  keepSnapshots?: unknown;
  freshness?: { warningHours?: unknown; criticalHours?: unknown };
  contacts?: { onCallManager?: unknown; nurse?: unknown; instructions?: unknown };
  link?: { from?: unknown; intervalMinutes?: unknown; timeoutSeconds?: unknown; inbox?: unknown };
  alert?: { command?: unknown; webhook?: unknown; repeatHours?: unknown };
};

export const DEFAULTS: Config = Object.freeze({
  dataDir: '.reservjournal',
  host: '127.0.0.1',
  port: 8080,
  timeZone: 'Europe/Stockholm',
  logLevel: 'info',
  keepSnapshots: 4,
  freshness: Object.freeze({ warningHours: 14, criticalHours: 26 }),
  contacts: Object.freeze({ onCallManager: null, nurse: null, instructions: null }),
  link: Object.freeze({ from: null, intervalMinutes: 15, timeoutSeconds: 60, inbox: null }),
  alert: Object.freeze({ command: null, webhook: null, repeatHours: 6 }),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error', 'silent']);

export interface ConfigSources {
  /** Working directory for relative paths. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: PartialConfig & { config?: string | undefined };
}

function fromEnv(env: ConfigSources['env']): PartialConfig {
  const out: PartialConfig = {};
  if (env.RESERVJOURNAL_DATA_DIR) out.dataDir = env.RESERVJOURNAL_DATA_DIR;
  const port = env.RESERVJOURNAL_PORT ?? env.PORT;
  if (port) out.port = port;
  if (env.RESERVJOURNAL_LOG_LEVEL) out.logLevel = env.RESERVJOURNAL_LOG_LEVEL;
  if (env.RESERVJOURNAL_TIME_ZONE) out.timeZone = env.RESERVJOURNAL_TIME_ZONE;
  if (env.RESERVJOURNAL_SYNC_FROM) out.link = { from: env.RESERVJOURNAL_SYNC_FROM };
  return out;
}

function readFileConfig(file: string): PartialConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ReservError('CONFIG_FILE_UNREADABLE', { details: [`file: ${file}`], cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReservError('CONFIG_FILE_UNREADABLE', {
      details: [`file: ${file}`, 'expected a JSON object'],
    });
  }
  return parsed;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function merge(layers: PartialConfig[]): PartialConfig {
  const out: PartialConfig = {};
  for (const layer of layers) {
    const { freshness, contacts, link, alert, ...rest } = layer;
    Object.assign(out, defined(rest));
    if (freshness) out.freshness = { ...out.freshness, ...defined(freshness) };
    if (contacts) out.contacts = { ...out.contacts, ...defined(contacts) };
    if (link) out.link = { ...out.link, ...defined(link) };
    if (alert) out.alert = { ...out.alert, ...defined(alert) };
  }
  return out;
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('sv-SE', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Validate a merged layer; returns every problem found. */
export function validate(
  merged: PartialConfig,
  cwd: string,
): { config?: Config; problems: string[] } {
  const problems: string[] = [];
  const known = new Set([
    'dataDir',
    'host',
    'port',
    'timeZone',
    'logLevel',
    'keepSnapshots',
    'freshness',
    'contacts',
    'link',
    'alert',
  ]);
  for (const key of Object.keys(merged)) {
    if (!known.has(key)) problems.push(`unknown setting "${key}"`);
  }
  const dataDirRaw = merged.dataDir ?? DEFAULTS.dataDir;
  if (typeof dataDirRaw !== 'string' || dataDirRaw.trim() === '')
    problems.push('dataDir must be a non-empty folder path');
  const host = merged.host ?? DEFAULTS.host;
  if (typeof host !== 'string' || !LOOPBACK.has(host))
    problems.push(
      `host must be a loopback address (127.0.0.1, ::1 or localhost): the station never listens on the network`,
    );
  const port = merged.port === undefined ? DEFAULTS.port : toInt(merged.port);
  if (port === undefined || port < 0 || port > 65535)
    problems.push('port must be a whole number from 0 to 65535 (0 picks a free port)');
  const timeZone = merged.timeZone ?? DEFAULTS.timeZone;
  if (typeof timeZone !== 'string' || !validTimeZone(timeZone))
    problems.push('timeZone must be an IANA time zone such as Europe/Stockholm');
  const logLevel = merged.logLevel ?? DEFAULTS.logLevel;
  if (typeof logLevel !== 'string' || !LOG_LEVELS.has(logLevel))
    problems.push('logLevel must be one of debug, info, warn, error, silent');
  const keepSnapshots =
    merged.keepSnapshots === undefined ? DEFAULTS.keepSnapshots : toInt(merged.keepSnapshots);
  if (keepSnapshots === undefined || keepSnapshots < 2)
    problems.push(
      'keepSnapshots must be a whole number of at least 2 (the active snapshot and the one before it)',
    );
  const warningHours = toNumber(merged.freshness?.warningHours ?? DEFAULTS.freshness.warningHours);
  const criticalHours = toNumber(
    merged.freshness?.criticalHours ?? DEFAULTS.freshness.criticalHours,
  );
  if (warningHours === undefined || warningHours <= 0)
    problems.push('freshness.warningHours must be a positive number of hours');
  if (criticalHours === undefined || criticalHours <= 0)
    problems.push('freshness.criticalHours must be a positive number of hours');
  if (warningHours !== undefined && criticalHours !== undefined && criticalHours <= warningHours)
    problems.push('freshness.criticalHours must be greater than freshness.warningHours');
  const contacts: Record<string, string | null> = {};
  for (const key of ['onCallManager', 'nurse', 'instructions'] as const) {
    const value = merged.contacts?.[key];
    if (value === undefined || value === null) contacts[key] = null;
    else if (typeof value !== 'string' || value.length > 300)
      problems.push(`contacts.${key} must be text of at most 300 characters`);
    else contacts[key] = value.trim() || null;
  }
  const link = validateLink(merged.link, problems);
  const alert = validateAlert(merged.alert, problems);
  if (problems.length > 0) return { problems };
  const config: Config = {
    dataDir: path.resolve(cwd, dataDirRaw as string),
    host: host as string,
    port: port!,
    timeZone: timeZone as string,
    logLevel: logLevel as LogLevel,
    keepSnapshots: keepSnapshots!,
    freshness: Object.freeze({ warningHours: warningHours!, criticalHours: criticalHours! }),
    contacts: Object.freeze({
      onCallManager: contacts.onCallManager ?? null,
      nurse: contacts.nurse ?? null,
      instructions: contacts.instructions ?? null,
    }),
    link: Object.freeze(link),
    alert: Object.freeze(alert),
  };
  return { config: Object.freeze(config), problems };
}

function optionalText(value: unknown, name: string, problems: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2000) {
    problems.push(`${name} must be text (an address or a folder), or null`);
    return null;
  }
  return value.trim();
}

function validateLink(raw: PartialConfig['link'], problems: string[]): Config['link'] {
  const d = DEFAULTS.link;
  const from = optionalText(raw?.from, 'link.from', problems);
  const inbox = optionalText(raw?.inbox, 'link.inbox', problems);
  const intervalMinutes = toInt(raw?.intervalMinutes ?? d.intervalMinutes);
  if (intervalMinutes === undefined || intervalMinutes < 1 || intervalMinutes > 1440)
    problems.push('link.intervalMinutes must be a whole number of minutes from 1 to 1440');
  const timeoutSeconds = toInt(raw?.timeoutSeconds ?? d.timeoutSeconds);
  if (timeoutSeconds === undefined || timeoutSeconds < 1 || timeoutSeconds > 3600)
    problems.push('link.timeoutSeconds must be a whole number of seconds from 1 to 3600');
  for (const [name, value] of [
    ['link.from', from],
    ['link.inbox', inbox],
  ] as const)
    if (value !== null && /^[a-z]+:\/\//i.test(value) && !/^https?:\/\//i.test(value))
      problems.push(`${name} must be an http(s) address or a folder`);
  return {
    from,
    inbox,
    intervalMinutes: intervalMinutes ?? d.intervalMinutes,
    timeoutSeconds: timeoutSeconds ?? d.timeoutSeconds,
  };
}

function validateAlert(raw: PartialConfig['alert'], problems: string[]): Config['alert'] {
  const command =
    raw?.command === undefined || raw.command === null
      ? null
      : (parseAlertCommand(raw.command, problems) ?? null);
  const webhook = optionalText(raw?.webhook, 'alert.webhook', problems);
  if (webhook !== null && !/^https?:\/\//i.test(webhook))
    problems.push('alert.webhook must be an http(s) address');
  const repeatHours = toNumber(raw?.repeatHours ?? DEFAULTS.alert.repeatHours);
  if (repeatHours === undefined || repeatHours <= 0)
    problems.push('alert.repeatHours must be a positive number of hours');
  return { command, webhook, repeatHours: repeatHours ?? DEFAULTS.alert.repeatHours };
}

/** Build the frozen configuration from all sources, or throw CONFIG_INVALID listing every problem. */
export function loadConfig(sources: ConfigSources): Config {
  const { config: configFlag, ...flags } = sources.flags;
  const env = fromEnv(sources.env);
  // The data directory decides where a default config file lives, so resolve it first.
  const explicitFile = configFlag ?? sources.env.RESERVJOURNAL_CONFIG;
  let file: PartialConfig = {};
  if (explicitFile !== undefined) {
    file = readFileConfig(path.resolve(sources.cwd, explicitFile));
  } else {
    const dataDir = (flags.dataDir ?? env.dataDir ?? DEFAULTS.dataDir) as string;
    const candidate = path.resolve(sources.cwd, String(dataDir), 'config.json');
    if (existsSync(candidate)) {
      file = readFileConfig(candidate);
      // A config file inside the data directory cannot move the data directory.
      delete file.dataDir;
    }
  }
  const merged = merge([file, env, flags]);
  const { config, problems } = validate(merged, sources.cwd);
  if (config === undefined) throw new ReservError('CONFIG_INVALID', { details: problems });
  return config;
}
