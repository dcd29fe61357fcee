/**
 * `reservjournal pull`: fetch from a FHIR server (Bulk Data `$export`, or REST search with
 * --search), or read a folder of Bundles or NDJSON, into the Bulk-Data-shaped folder that
 * `snapshot build` reads. The flags become the same `source` object the exporter's config holds
 * and go through the same validation; only `--since` is extra (the exporter never pulls
 * increments, see src/source/spec.ts).
 */
import path from 'node:path';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { createLogger, type LogLevel } from '../../core/log.ts';
import { pullSource } from '../../source/pull.ts';
import type { SourceSpec } from '../../source/source.ts';
import { parseSourceSpec } from '../../source/spec.ts';
import { intOption, parse, requireOption } from '../args.ts';
import type { CliIo } from '../io.ts';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];

export function sourceFromFlags(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
): SourceSpec {
  const str = (k: string) => values[k] as string | undefined;
  const chosen = ['fhir-base', 'from-bundles', 'from-folder'].filter(
    (k) => values[k] !== undefined,
  );
  if (chosen.length !== 1)
    throw new ReservError('USAGE', {
      details: ['give exactly one of --fhir-base URL, --from-bundles DIR or --from-folder DIR'],
    });
  let raw: Record<string, unknown>;
  if (values['from-bundles'] !== undefined)
    raw = { kind: 'bundle-folder', dir: str('from-bundles') };
  else if (values['from-folder'] !== undefined)
    raw = { kind: 'ndjson-folder', dir: str('from-folder') };
  else {
    const search = values.search === true;
    raw = { kind: search ? 'rest-search' : 'bulk-export', base: str('fhir-base') };
    if (str('type') !== undefined)
      raw.types = str('type')!
        .split(',')
        .map((t) => t.trim());
    if (search) {
      if (str('page-size') !== undefined)
        raw.pageSize = intOption(str('page-size'), '--page-size', 0);
      if (values.group !== undefined || values['patient-level'] || values['allow-partial'])
        throw new ReservError('USAGE', {
          details: [
            '--group, --patient-level and --allow-partial belong to Bulk Data export, not --search',
          ],
        });
    } else {
      if (str('page-size') !== undefined)
        throw new ReservError('USAGE', { details: ['--page-size goes with --search'] });
      if (values.group !== undefined && values['patient-level'])
        throw new ReservError('USAGE', {
          details: ['give --group ID or --patient-level, not both'],
        });
      if (values.group !== undefined) raw.group = str('group');
      else if (values['patient-level']) raw.level = 'patient';
      if (values['allow-partial']) raw.allowPartial = true;
    }
    if (str('token-file') !== undefined || str('token-env') !== undefined)
      raw.auth = {
        kind: 'bearer',
        ...(str('token-file') !== undefined && { tokenFile: str('token-file') }),
        ...(str('token-env') !== undefined && { tokenEnv: str('token-env') }),
      };
    if (str('smart-client-id') !== undefined || str('smart-key') !== undefined) {
      if (raw.auth !== undefined)
        throw new ReservError('USAGE', {
          details: ['give a bearer token or SMART settings, not both'],
        });
      raw.auth = {
        kind: 'smart-backend',
        clientId: str('smart-client-id'),
        privateKeyFile: str('smart-key'),
        keyId: str('smart-kid'),
        ...(str('smart-token-url') !== undefined && { tokenUrl: str('smart-token-url') }),
        ...(str('smart-scope') !== undefined && { scope: str('smart-scope') }),
      };
    }
  }
  const { spec, problems } = parseSourceSpec(raw, cwd, 'pull');
  if (spec === undefined) throw new ReservError('USAGE', { details: problems });
  const since = str('since');
  if (since === undefined) return spec;
  if (spec.kind !== 'bulk-export' && spec.kind !== 'rest-search')
    throw new ReservError('USAGE', { details: ['--since goes with --fhir-base'] });
  // FHIR instant: https://hl7.org/fhir/R4/datatypes.html#instant (time zone required).
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(since) ||
    Number.isNaN(Date.parse(since))
  )
    throw new ReservError('USAGE', {
      details: ['--since must be an instant such as 2026-11-26T18:00:00+01:00'],
    });
  return { ...spec, since };
}

export async function runPull(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    'fhir-base': { type: 'string' },
    'from-bundles': { type: 'string' },
    'from-folder': { type: 'string' },
    group: { type: 'string' },
    'patient-level': { type: 'boolean' },
    type: { type: 'string' },
    since: { type: 'string' },
    search: { type: 'boolean' },
    'page-size': { type: 'string' },
    'token-file': { type: 'string' },
    'token-env': { type: 'string' },
    'smart-client-id': { type: 'string' },
    'smart-key': { type: 'string' },
    'smart-kid': { type: 'string' },
    'smart-token-url': { type: 'string' },
    'smart-scope': { type: 'string' },
    'allow-partial': { type: 'boolean' },
    out: { type: 'string' },
    'log-level': { type: 'string' },
  });
  const outDir = path.resolve(io.cwd, requireOption(values.out, '--out'));
  const spec = sourceFromFlags(values, io.cwd);
  const level = values['log-level'] ?? io.env.RESERVJOURNAL_LOG_LEVEL ?? 'warn';
  if (!LEVELS.includes(level))
    throw new ReservError('USAGE', {
      details: ['--log-level must be debug, info, warn, error or silent'],
    });
  const log = createLogger({ level: level as LogLevel, sink: (line) => io.stderr(line + '\n') });
  const stop = new AbortController();
  void io.stopped.then(() => stop.abort(new Error('stopped')));
  const result = await pullSource(spec, outDir, {
    clock: systemClock,
    log,
    signal: stop.signal,
    env: io.env,
  });
  const perType = result.manifest.output.map((o) => `${o.type} ${o.count ?? 0}`).join(', ');
  io.stdout(
    `Pulled ${result.resources} resources (${perType || 'none'}) into ${outDir}, data as of ${result.manifest.transactionTime}; ${result.warnings.length} warning(s).\n`,
  );
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
  return 0;
}
