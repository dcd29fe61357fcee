/**
 * The demo FHIR server's data and export jobs: the resources of a Bulk Data folder in memory,
 * and the completion manifest (Bulk Data IG § "Bulk Data Status Request", complete status) of
 * a job with its output files built from them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { outcome } from './search.ts';
import type { Behaviour } from './server.ts';

export interface Job {
  readonly types: string[];
  readonly since: string | undefined;
  readonly members: Set<string> | undefined;
  polls: number;
  deleted: boolean;
  readonly files: Map<string, Buffer>;
  readonly cut: Set<string>;
  /** The complete manifest once the job is done (pages are cut from it). */
  manifest?: CompleteManifest;
}

export type CompleteManifest = ReturnType<typeof completeJob>;

/**
 * Page `n` (from 1) of a complete manifest cut into pages of `size` output entries, the pages
 * chained with `link` relation "next" (Bulk Data IG, BulkDataManifest.link: a server may page
 * a large manifest). error[] entries go on the last page, so a client must read them all.
 */
export function manifestPage(
  full: CompleteManifest,
  n: number,
  size: number,
  nextUrl: (n: number) => string,
): (Omit<CompleteManifest, 'output' | 'error'> & Record<string, unknown>) | undefined {
  const pages = Math.max(1, Math.ceil(full.output.length / size));
  if (n < 1 || n > pages) return undefined;
  return {
    ...full,
    output: full.output.slice((n - 1) * size, n * size),
    error: n === pages ? full.error : [],
    ...(n < pages && { link: [{ relation: 'next', url: nextUrl(n + 1) }] }),
  };
}

export function loadData(dir: string): { data: Map<string, string[]>; transactionTime: string } {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    transactionTime: string;
    output: { type: string; url: string }[];
  };
  const data = new Map<string, string[]>();
  for (const o of manifest.output)
    data.set(o.type, readFileSync(path.join(dir, o.url), 'utf8').split('\n').filter(Boolean));
  return { data, transactionTime: manifest.transactionTime };
}

function patientOf(r: {
  resourceType: string;
  id: string;
  subject?: { reference?: string };
  patient?: { reference?: string };
}): string | undefined {
  if (r.resourceType === 'Patient') return r.id;
  const ref = r.subject?.reference ?? r.patient?.reference;
  return ref?.startsWith('Patient/') ? ref.slice(8) : undefined;
}

export function completeJob(
  job: Job,
  jobId: string,
  ctx: {
    data: Map<string, string[]>;
    transactionTime: string;
    behaviour: Behaviour;
    origin: string;
  },
) {
  const { data, transactionTime, behaviour, origin } = ctx;
  const output: { type: string; url: string; count: number }[] = [];
  const per = behaviour.filesPerType ?? 1;
  for (const type of job.types) {
    const lines = (data.get(type) ?? []).filter((line) => {
      const r = JSON.parse(line) as Parameters<typeof patientOf>[0] & {
        meta?: { lastUpdated?: string };
      };
      if (
        job.since !== undefined &&
        r.meta?.lastUpdated !== undefined &&
        r.meta.lastUpdated <= job.since
      )
        return false;
      const p = job.members === undefined ? undefined : patientOf(r);
      return p === undefined || job.members!.has(p);
    });
    if (lines.length === 0) continue; // the IG: no file for a type without resources
    const size = Math.ceil(lines.length / per);
    for (let i = 0; i * size < lines.length; i++) {
      const chunk = lines.slice(i * size, (i + 1) * size);
      const name = `${type}-${i + 1}.ndjson`;
      job.files.set(name, Buffer.from(chunk.join('\n') + '\n'));
      output.push({
        type,
        url: `${origin}/fhir/bulkfiles/${jobId}/${name}`,
        count: chunk.length,
      });
    }
  }
  const error: { type: string; url: string }[] = [];
  if (behaviour.errorDiagnostics?.length) {
    job.files.set(
      'errors.ndjson',
      Buffer.from(
        behaviour.errorDiagnostics.map((d) => outcome('processing', d)).join('\n') + '\n',
      ),
    );
    error.push({
      type: 'OperationOutcome',
      url: `${origin}/fhir/bulkfiles/${jobId}/errors.ndjson`,
    });
  }
  return {
    transactionTime,
    request: `${origin}/fhir/$export`,
    requiresAccessToken: behaviour.requiresAccessToken === true,
    output,
    error,
  };
}
