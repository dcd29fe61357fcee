/**
 * One entry for every kind of source: pull into a Bulk-Data-shaped folder.
 *
 * Whatever the source, the output goes through one FolderWriter, so every kind gets the same
 * checks (type, id, conflicting duplicates) and the same promise: `outDir` appears complete, or
 * not at all. A failed or stopped pull leaves nothing behind.
 */
import { ReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { pullBulkExport } from './bulk-export.ts';
import { pullBundleFolder } from './bundle-folder.ts';
import { credentialsFor } from './credentials.ts';
import { FolderWriter } from './folder-writer.ts';
import { FhirHttp, type HttpDeps } from './http.ts';
import { pullNdjsonFolder } from './ndjson-folder.ts';
import { pullRestSearch } from './rest-search.ts';
import type { PullDeps, PullResult, SourceSpec } from './source.ts';

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('stopped'));
      },
      { once: true },
    );
  });
}

type Pulled = { transactionTime: string; request: string; warnings: string[] };

async function pullInto(spec: SourceSpec, writer: FolderWriter, deps: PullDeps): Promise<Pulled> {
  switch (spec.kind) {
    case 'ndjson-folder':
      return pullNdjsonFolder(spec.dir, writer, deps.log);
    case 'bundle-folder':
      return pullBundleFolder(spec.dir, writer, deps.clock);
    case 'bulk-export':
    case 'rest-search': {
      const httpDeps: HttpDeps = {
        clock: deps.clock,
        log: deps.log,
        sleep: deps.sleep ?? ((ms) => realSleep(ms, deps.signal)),
        ...(deps.signal && { signal: deps.signal }),
      };
      const timeout = { timeoutMs: (spec.requestTimeoutSeconds ?? 60) * 1000 };
      const credentials = credentialsFor(
        spec.auth,
        spec.base,
        { ...httpDeps, ...(deps.env && { env: deps.env }) },
        timeout,
      );
      const http = new FhirHttp(httpDeps, { ...timeout, ...(credentials && { credentials }) });
      return spec.kind === 'bulk-export'
        ? pullBulkExport(spec, writer, { http, deps: httpDeps, scratch: writer.scratch() })
        : pullRestSearch(spec, writer, { http, deps: httpDeps });
    }
  }
}

export async function pullSource(
  spec: SourceSpec,
  outDir: string,
  deps: PullDeps,
): Promise<PullResult> {
  const writer = FolderWriter.open(outDir);
  try {
    const pulled = await pullInto(spec, writer, deps);
    if (writer.duplicatesSkipped > 0)
      pulled.warnings.push(`${writer.duplicatesSkipped} identical duplicate(s) written once`);
    const manifest = writer.commit({
      transactionTime: pulled.transactionTime,
      request: pulled.request,
    });
    const resources = manifest.output.reduce((n, o) => n + o.count, 0);
    deps.log.info('pull.done', {
      kind: op(spec.kind),
      types: manifest.output.length,
      resources,
      warnings: pulled.warnings.length,
    });
    return { manifest, resources, warnings: pulled.warnings };
  } catch (error) {
    writer.abort();
    if (deps.signal?.aborted && !(error instanceof ReservError))
      throw new ReservError('SOURCE_UNREACHABLE', {
        details: ['the pull was stopped before it finished'],
        cause: error,
      });
    throw error;
  }
}
