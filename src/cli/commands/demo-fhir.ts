/**
 * `reservjournal demo fhir-server`: a small FHIR R4 server (Bulk Data `$export` and REST search)
 * over a generated export folder, on 127.0.0.1, so that an operator can try `pull`, the exporter
 * and the whole link on one machine before connecting the real journal system.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../../core/errors.ts';
import { readBulkManifest } from '../../source/bulk-folder.ts';
import { startFhirServer } from '../../demo/fhir/server.ts';
import { intOption, parse, requireOption } from '../args.ts';
import type { CliIo } from '../io.ts';

export async function runDemoFhirServer(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    source: { type: 'string' },
    port: { type: 'string' },
    'token-file': { type: 'string' },
  });
  const source = path.resolve(io.cwd, requireOption(values.source, '--source'));
  readBulkManifest(source); // a clear SOURCE_NOT_FOUND / SOURCE_MANIFEST_INVALID up front
  const port = intOption(values.port, '--port', 8090);
  let token: string | undefined;
  if (values['token-file'] !== undefined) {
    const file = path.resolve(io.cwd, values['token-file']);
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (cause) {
      throw new ReservError('USAGE', { details: [`cannot read --token-file ${file}`], cause });
    }
    if (token === '') throw new ReservError('USAGE', { details: ['--token-file is empty'] });
  }
  const server = await startFhirServer({
    dataDir: source,
    port,
    ...(token !== undefined ? { behaviour: { requireToken: token } } : {}),
  });
  io.stdout(
    `Demo FHIR server (synthetic data from ${source}) at ${server.base}\n` +
      `  Bulk Data: ${server.base}/$export   REST search: ${server.base}/Patient\n` +
      (token !== undefined ? '  Requests need the bearer token from --token-file.\n' : '') +
      '  Stop it with Ctrl+C.\n',
  );
  await io.stopped;
  await server.close();
  return 0;
}
