/**
 * The Bulk Data completion manifest ("Response - Complete Status",
 * https://hl7.org/fhir/uv/bulkdata/STU2/export.html#response---complete-status), read strictly:
 * a valid transactionTime, output[] and error[] entries each with a resource type and an
 * http(s) URL (relative ones resolved against the status URL), and an optional `link` with
 * relation `next` to a further page of the manifest.
 */
import { ReservError } from '../core/errors.ts';

export interface ManifestFile {
  readonly type: string;
  readonly url: string;
}

export interface CompleteManifest {
  readonly transactionTime: string;
  readonly requiresAccessToken: boolean;
  readonly output: ManifestFile[];
  readonly error: ManifestFile[];
}

function invalid(detail: string): ReservError {
  return new ReservError('SOURCE_RESPONSE_INVALID', { details: [detail] });
}

export function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export function readManifest(
  body: unknown,
  statusUrl: string,
): CompleteManifest & { next?: string } {
  const m = body as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null)
    throw invalid('the completion manifest is not an object');
  if (typeof m.transactionTime !== 'string' || Number.isNaN(Date.parse(m.transactionTime)))
    throw invalid('the completion manifest has no valid transactionTime');
  const files = (key: 'output' | 'error'): ManifestFile[] => {
    const list = m[key] ?? [];
    if (!Array.isArray(list)) throw invalid(`the completion manifest's ${key} is not a list`);
    return list.map((raw, i) => {
      const f = raw as { type?: unknown; url?: unknown } | null;
      if (typeof f?.type !== 'string' || !/^[A-Z][A-Za-z0-9]{0,63}$/.test(f.type))
        throw invalid(`${key}[${i}] has no valid resource type`);
      if (typeof f.url !== 'string') throw invalid(`${key}[${i}] has no url`);
      let url: string;
      try {
        url = new URL(f.url, statusUrl).href;
      } catch {
        throw invalid(`${key}[${i}].url is not a URL`);
      }
      if (!/^https?:$/.test(new URL(url).protocol))
        throw invalid(`${key}[${i}].url is not http(s)`);
      return { type: f.type, url };
    });
  };
  const links = Array.isArray(m.link) ? (m.link as { relation?: unknown; url?: unknown }[]) : [];
  const next = links.find((l) => l?.relation === 'next' && typeof l.url === 'string')?.url as
    string | undefined;
  return {
    transactionTime: m.transactionTime,
    requiresAccessToken: m.requiresAccessToken === true,
    output: files('output'),
    error: files('error'),
    ...(next !== undefined && { next: new URL(next, statusUrl).href }),
  };
}
