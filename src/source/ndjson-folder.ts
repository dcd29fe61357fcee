/**
 * A folder of NDJSON files with a Bulk Data manifest.json (as `reservjournal generate` writes,
 * or a Bulk Data export saved to disk) as a source. Unlike `snapshot build`, several files of
 * one type are accepted (servers split large types) and joined. Every `url` must name a file
 * inside the folder: a manifest is data, and must not make us read elsewhere on the disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import { RESOURCE_TYPE, type FolderWriter } from './folder-writer.ts';
import { feedNdjson } from './ndjson-feed.ts';

export async function pullNdjsonFolder(
  dir: string,
  writer: FolderWriter,
  log: Logger,
): Promise<{ transactionTime: string; request: string; warnings: string[] }> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new ReservError('SOURCE_NOT_FOUND', { details: [`folder: ${dir}`] });
  let m: { transactionTime?: unknown; request?: unknown; output?: unknown; error?: unknown };
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as typeof m;
  } catch (cause) {
    throw new ReservError('SOURCE_MANIFEST_INVALID', {
      details: ['manifest.json is not JSON'],
      cause,
    });
  }
  const problems: string[] = [];
  if (typeof m?.transactionTime !== 'string' || Number.isNaN(Date.parse(m.transactionTime)))
    problems.push('transactionTime is missing or not an instant');
  if (!Array.isArray(m?.output)) problems.push('output is missing');
  const outputs: { type: string; file: string; name: string }[] = [];
  for (const [k, raw] of (Array.isArray(m?.output) ? (m.output as unknown[]) : []).entries()) {
    const o = raw as { type?: unknown; url?: unknown } | null;
    if (typeof o?.type !== 'string' || !RESOURCE_TYPE.test(o.type) || typeof o.url !== 'string') {
      problems.push(`output[${k}] needs a resource type and a url`);
      continue;
    }
    const resolved = path.resolve(dir, o.url);
    if (path.dirname(resolved) !== path.resolve(dir))
      problems.push(`output[${k}].url must name a file in the export folder itself`);
    else outputs.push({ type: o.type, file: resolved, name: path.basename(resolved) });
  }
  if (Array.isArray(m?.error) && m.error.length > 0)
    problems.push(
      `the export lists ${m.error.length} error file(s): it is incomplete and is not used as a copy`,
    );
  if (problems.length > 0) throw new ReservError('SOURCE_MANIFEST_INVALID', { details: problems });
  for (const o of outputs) {
    if (!existsSync(o.file))
      throw new ReservError('SOURCE_FILE_INVALID', { details: [`${o.name}: listed but missing`] });
    const count = await feedNdjson(o.file, {
      type: o.type,
      gzip: /\.gz$/i.test(o.name),
      label: o.name,
      writer,
    });
    log.info('source.folder.file', { file: op(o.name), resources: count });
  }
  return {
    transactionTime: m.transactionTime as string,
    request: typeof m.request === 'string' ? m.request : `folder ${path.basename(dir)}`,
    warnings: [],
  };
}
