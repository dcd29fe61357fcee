/**
 * Operational logging that never writes patient data.
 *
 * A log line is an event name from the code plus a few fields. Field values are numbers, booleans
 * or strings the caller marks as operational with `op()` (file paths, error codes, ports); any
 * other string is replaced by `[redacted]`. As a second line of defence every string is scanned for
 * things shaped like Swedish identity numbers and those are masked too. Internal errors are logged
 * by name and stack frames only: the message of a parser error can quote the input it choked on.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const OPERATIONAL = Symbol('operational');

/** A string that the caller vouches is operational (no patient data). */
export interface OpText {
  readonly [OPERATIONAL]: true;
  readonly text: string;
}

export function op(text: string): OpText {
  return { [OPERATIONAL]: true, text };
}

export type LogValue = number | boolean | OpText | string | null | undefined;
export type LogFields = Record<string, LogValue>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

// 10 or 12 digits with an optional - or + before the last four: personnummer-shaped.
const IDENTITY_SHAPE = /\b(\d{6}|\d{8})[-+]?\d{4}\b/g;

function scrub(text: string): string {
  return text.replace(IDENTITY_SHAPE, '[id]');
}

function render(value: LogValue): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return '[redacted]';
  return scrub(value.text);
}

export function createLogger(options: {
  level: LogLevel;
  sink?: LogSink;
  now?: () => Date;
}): Logger {
  const threshold = LEVELS[options.level];
  const sink = options.sink ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const write = (level: Exclude<LogLevel, 'silent'>, event: string, fields: LogFields = {}) => {
    if (LEVELS[level] < threshold) return;
    const out: Record<string, unknown> = { time: now().toISOString(), level, event: scrub(event) };
    for (const [key, value] of Object.entries(fields)) out[key] = render(value);
    sink(JSON.stringify(out));
  };
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

/** Stack frames without the message line, which may quote input data. */
export function stackFrames(error: unknown): OpText {
  if (!(error instanceof Error) || error.stack === undefined) return op('(no stack)');
  const frames = error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return op(`${error.name}\n${frames}`);
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
