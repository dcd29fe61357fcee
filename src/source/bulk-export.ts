/**
 * FHIR Bulk Data Access client (IG v2, STU2: https://hl7.org/fhir/uv/bulkdata/STU2/export.html,
 * section names below refer to that page).
 *
 * 1. Kick-off ("Bulk Data Kick-off Request"): GET `[base]/$export`, `[base]/Patient/$export` or
 *    `[base]/Group/[id]/$export` with `_outputFormat`, `_type`, `_since`, headers
 *    `Accept: application/fhir+json` and `Prefer: respond-async`; the server answers 202 with the
 *    status URL in Content-Location.
 * 2. Status ("Bulk Data Status Request"): poll until 200. A 202 may carry X-Progress and
 *    Retry-After; we honour Retry-After (capped) and otherwise back off exponentially, within an
 *    overall deadline. A 404/410 means the server no longer knows the job (it expired). 5xx
 *    answers are retried by FhirHttp unless their OperationOutcome says the failure is final.
 * 3. Manifest ("Response - Complete Status"): transactionTime, requiresAccessToken, output[],
 *    error[], and optionally `link` to further manifest pages.
 * 4. Files ("Bulk Data Output File Request"): every output[] file is downloaded (gzip accepted,
 *    resumable, see download.ts) with Authorization only when requiresAccessToken is true, and
 *    its lines checked into the folder. error[] files hold OperationOutcomes; their diagnostics
 *    fail the pull unless `allowPartial`, because a silently partial downtime copy is dangerous.
 * 5. Delete ("Bulk Data Delete Request"): DELETE the status URL once the files are fetched, so the
 *    server may free them; best effort after a failure as well, to cancel a job we gave up on.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { readManifest, sameOrigin, type CompleteManifest } from './bulk-manifest.ts';
import { DEFAULT_LIMITS } from '../snapshot/verify.ts';
import { downloadFile } from './download.ts';
import type { FolderWriter } from './folder-writer.ts';
import { parseJsonAnswer, retryAfterMs, where, type FhirHttp, type HttpDeps } from './http.ts';
import { maybeJson, outcomeLines, readOutcomes } from './outcomes.ts';
import { feedNdjson } from './ndjson-feed.ts';
import type { SourceSpec } from './source.ts';

type BulkSpec = Extract<SourceSpec, { kind: 'bulk-export' }>;

export interface BulkResult {
  readonly transactionTime: string;
  readonly request: string;
  readonly warnings: string[];
}

const DEFAULT_EXPORT_MINUTES = 120;
/** A file larger than a station accepts unpacked in all could never reach a station. */
const MAX_FILE_BYTES = DEFAULT_LIMITS.maxPlainBytes;
const MAX_ERROR_FILE_BYTES = 16 * 1024 ** 2;
const MAX_MANIFEST_PAGES = 1000;
const MAX_REPORTED_ISSUES = 20;

export function kickOffUrl(spec: BulkSpec): string {
  const level = spec.level ?? (spec.group !== undefined ? 'group' : 'system');
  const pathPart =
    level === 'group'
      ? `/Group/${encodeURIComponent(spec.group ?? '')}/$export`
      : level === 'patient'
        ? '/Patient/$export'
        : '/$export';
  const query = new URLSearchParams({ _outputFormat: 'application/fhir+ndjson' });
  if (spec.types && spec.types.length > 0) query.set('_type', spec.types.join(','));
  if (spec.since !== undefined) query.set('_since', spec.since);
  // URLSearchParams writes `$` and `,` escaped; both are fine for servers, but `$export` in the
  // path must stay literal.
  return `${spec.base.replace(/\/+$/, '')}${pathPart}?${query.toString()}`;
}

function invalid(detail: string): ReservError {
  return new ReservError('SOURCE_RESPONSE_INVALID', { details: [detail] });
}

async function kickOff(http: FhirHttp, request: string): Promise<string> {
  const { status, headers, text } = await http.text(request, {
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
    accept: [200, 202, 400, 404, 405, 406, 410, 422],
  });
  if (status !== 202)
    throw new ReservError('SOURCE_EXPORT_FAILED', {
      details: [
        `GET ${where(request)}: HTTP ${status}: the server did not start the export` +
          (status === 404 || status === 405 ? ' (does it support $export at this level?)' : ''),
        ...outcomeLines(maybeJson(text)),
      ],
    });
  const location = headers.get('content-location');
  if (!location) throw invalid(`GET ${where(request)}: 202 without Content-Location`);
  return new URL(location, request).href;
}

/** Polls the status URL until the manifest is ready; returns its (first page) body. */
async function poll(
  http: FhirHttp,
  statusUrl: string,
  deps: HttpDeps,
  deadline: number,
  minutes: number,
): Promise<unknown> {
  const label = `GET ${where(statusUrl)}`;
  for (let round = 1; ; round++) {
    const { status, headers, text } = await http.text(statusUrl, {
      headers: { Accept: 'application/json' },
      accept: [200, 202, 400, 404, 410],
    });
    if (status === 200) return parseJsonAnswer(text, status, headers, statusUrl);
    if (status === 404 || status === 410)
      throw new ReservError('SOURCE_EXPORT_FAILED', {
        details: [
          `${label}: HTTP ${status}: the server no longer knows this export job (it expired or was deleted); start a new pull`,
        ],
      });
    if (status !== 202)
      throw new ReservError('SOURCE_EXPORT_FAILED', {
        details: [`${label}: HTTP ${status}: the export failed`, ...outcomeLines(maybeJson(text))],
      });
    const progress = headers.get('x-progress');
    const wait = Math.min(
      retryAfterMs(headers.get('retry-after'), deps.clock.now()) ?? http.backoff(round),
      http.options.maxDelayMs,
    );
    deps.log.info('source.bulk.progress', {
      // X-Progress is the server's free text; short, and masked by the logger for id shapes.
      progress: op((progress ?? '(none)').slice(0, 100)),
      round,
      waitMs: wait,
    });
    if (deps.clock.now().getTime() + wait > deadline)
      throw new ReservError('SOURCE_EXPORT_FAILED', {
        details: [
          `the export did not finish within ${minutes} minutes (last progress: ${(progress ?? 'none').slice(0, 100)})`,
        ],
      });
    await http.wait(wait);
  }
}

/** Collects the complete manifest, following `link` next pages on the same server. */
async function fullManifest(
  http: FhirHttp,
  first: unknown,
  statusUrl: string,
): Promise<CompleteManifest> {
  let page = readManifest(first, statusUrl);
  const all = { ...page, output: [...page.output], error: [...page.error] };
  for (let n = 1; page.next !== undefined; n++) {
    if (n > MAX_MANIFEST_PAGES || !sameOrigin(page.next, statusUrl))
      throw invalid('the manifest links to too many pages, or to another server');
    const { body } = await http.json(page.next, { headers: { Accept: 'application/json' } });
    page = readManifest(body, page.next);
    all.output.push(...page.output);
    all.error.push(...page.error);
  }
  return all;
}

async function reportedErrors(
  manifest: CompleteManifest,
  ctx: { http: FhirHttp; deps: HttpDeps; scratch: string },
): Promise<string[]> {
  const issues: string[] = [];
  for (const [i, file] of manifest.error.entries()) {
    const dest = path.join(ctx.scratch, `error-${i}.download`);
    const got = await downloadFile(file.url, dest, {
      http: ctx.http,
      deps: ctx.deps,
      auth: manifest.requiresAccessToken,
      accept: 'application/fhir+ndjson',
      // An error file holds OperationOutcomes to show a person: a few megabytes at most.
      maxBytes: MAX_ERROR_FILE_BYTES,
    });
    const lines = readOutcomes(dest, got.encoding === 'gzip');
    rmSync(dest, { force: true });
    issues.push(
      ...(lines.length > 0 ? lines : [`error file ${i + 1} holds no readable OperationOutcome`]),
    );
  }
  return issues;
}

export async function pullBulkExport(
  spec: BulkSpec,
  writer: FolderWriter,
  ctx: { http: FhirHttp; deps: HttpDeps; scratch: string },
): Promise<BulkResult> {
  const { http, deps } = ctx;
  const request = kickOffUrl(spec);
  const minutes = spec.exportTimeoutMinutes ?? DEFAULT_EXPORT_MINUTES;
  const deadline = deps.clock.now().getTime() + minutes * 60_000;
  deps.log.info('source.bulk.kickoff', { request: op(where(request)) });
  const statusUrl = await kickOff(http, request);
  try {
    if (!sameOrigin(statusUrl, spec.base))
      throw invalid('the status URL (Content-Location) points at another server');
    const manifest = await fullManifest(
      http,
      await poll(http, statusUrl, deps, deadline, minutes),
      statusUrl,
    );
    const warnings: string[] = [];
    // The error files are small: read them first, so a partial export fails before the big files.
    if (manifest.error.length > 0) {
      const issues = await reportedErrors(manifest, ctx);
      const shown = issues.slice(0, MAX_REPORTED_ISSUES);
      if (issues.length > shown.length) shown.push(`… and ${issues.length - shown.length} more`);
      if (spec.allowPartial !== true)
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [
            `the server reported ${issues.length} problem(s) in error[]: the copy would be incomplete (allowPartial accepts it anyway)`,
            ...shown,
          ],
        });
      warnings.push(...shown.map((s) => `server reported: ${s}`));
    }
    for (const [i, file] of manifest.output.entries()) {
      if (deps.clock.now().getTime() > deadline)
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [`the export did not finish within ${minutes} minutes (downloading files)`],
        });
      const dest = path.join(ctx.scratch, `output-${i}.download`);
      const got = await downloadFile(file.url, dest, {
        http,
        deps,
        auth: manifest.requiresAccessToken,
        accept: 'application/fhir+ndjson',
        maxBytes: spec.maxFileBytes ?? MAX_FILE_BYTES,
      });
      const count = await feedNdjson(dest, {
        type: file.type,
        gzip: got.encoding === 'gzip',
        label: `${file.type} file ${i + 1}`,
        writer,
      });
      rmSync(dest, { force: true });
      deps.log.info('source.bulk.file', {
        type: op(file.type),
        resources: count,
        bytes: got.bytes,
        resumed: got.resumed,
      });
    }
    if (manifest.output.length === 0) warnings.push('the server exported no resources');
    await deleteJob(http, statusUrl, deps);
    return { transactionTime: manifest.transactionTime, request, warnings };
  } catch (error) {
    // Cancel (or release) the job we give up on; its own failure must not hide ours.
    await deleteJob(http, statusUrl, deps).catch(() => undefined);
    throw error;
  }
}

async function deleteJob(http: FhirHttp, statusUrl: string, deps: HttpDeps): Promise<void> {
  try {
    const { status } = await http.text(statusUrl, {
      method: 'DELETE',
      accept: [200, 202, 204, 400, 404, 405, 410],
    });
    deps.log.info('source.bulk.delete', { status });
  } catch (error) {
    deps.log.warn('source.bulk.delete_failed', {
      code: op(error instanceof ReservError ? error.code : 'network'),
    });
  }
}
