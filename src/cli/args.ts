/** Command-line parsing on node:util parseArgs; every mistake becomes a USAGE error. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ReservError } from '../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, positionals = 0) {
  try {
    const result = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (result.positionals.length > positionals)
      throw new ReservError('USAGE', {
        details: [`unexpected argument "${result.positionals[positionals]}"`],
      });
    return result;
  } catch (error) {
    if (error instanceof ReservError) throw error;
    throw new ReservError('USAGE', { details: [(error as Error).message] });
  }
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '')
    throw new ReservError('USAGE', { details: [`${name} is required`] });
  return value;
}

export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new ReservError('USAGE', { details: [`${name} must be a whole number`] });
  return Number(value);
}

/** Options every station command shares, passed on to loadConfig as flags. */
export const STATION_OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  port: { type: 'string' },
  'log-level': { type: 'string' },
} as const satisfies Options;
