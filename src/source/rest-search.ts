/**
 * FHIR REST search, for servers without `$export`: per resource type
 * `GET [base]/[Type]?_count=N` (https://hl7.org/fhir/R4/search.html), then every page by
 * following `Bundle.link` with relation `next` (https://hl7.org/fhir/R4/http.html#paging) until
 * there is none. Only entries whose search.mode is `match` (or absent) are kept.
 *
 * A next link must stay on the base URL's origin: the credentials go with every page, and a
 * server (or anything between) pointing us elsewhere would hand them to a stranger. A cap on
 * pages per type stops a server that links in a circle.
 *
 * The copy's transactionTime is the moment the search began: anything changed during the pull
 * may or may not be in the copy, so the earlier instant is the honest "data as of".
 */
import { ReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { parseBundle } from './bundle-entries.ts';
import type { FolderWriter } from './folder-writer.ts';
import { where, type FhirHttp, type HttpDeps } from './http.ts';
import type { SourceSpec } from './source.ts';

type SearchSpec = Extract<SourceSpec, { kind: 'rest-search' }>;

/** What the station shows, by default (the types the generator writes and the views read). */
// prettier-ignore
export const STATION_TYPES: readonly string[] = [
  'AllergyIntolerance', 'Appointment', 'Basic', 'CarePlan', 'Condition', 'Device',
  'DeviceUseStatement', 'DocumentReference', 'Flag', 'Goal', 'Location', 'Medication',
  'MedicationAdministration', 'MedicationRequest', 'NutritionOrder', 'Observation',
  'Organization', 'Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson',
  'RiskAssessment', 'ServiceRequest',
];

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_MAX_PAGES = 10_000;

function invalid(detail: string): ReservError {
  return new ReservError('SOURCE_RESPONSE_INVALID', { details: [detail] });
}

export function firstPageUrl(spec: SearchSpec, type: string): string {
  const query = new URLSearchParams({ _count: String(spec.pageSize ?? DEFAULT_PAGE_SIZE) });
  if (spec.since !== undefined) query.set('_lastUpdated', `gt${spec.since}`);
  return `${spec.base.replace(/\/+$/, '')}/${type}?${query.toString()}`;
}

export async function pullRestSearch(
  spec: SearchSpec,
  writer: FolderWriter,
  ctx: { http: FhirHttp; deps: HttpDeps },
): Promise<{ transactionTime: string; request: string; warnings: string[] }> {
  const { http, deps } = ctx;
  const transactionTime = deps.clock.now().toISOString();
  const origin = new URL(spec.base).origin;
  const maxPages = spec.maxPages ?? DEFAULT_MAX_PAGES;
  const defaulted = spec.types === undefined;
  const types = spec.types ?? STATION_TYPES;
  const warnings: string[] = [];
  for (const type of types) {
    let url: string | undefined = firstPageUrl(spec, type);
    let pages = 0;
    let matches = 0;
    while (url !== undefined) {
      if (++pages > maxPages)
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [`${type}: more than ${maxPages} pages of search results (raise maxPages?)`],
        });
      const { status, text } = await http.text(url, {
        headers: { Accept: 'application/fhir+json' },
        accept: [200, 400, 404],
      });
      if (status !== 200 && pages === 1 && defaulted) {
        // A type from our default list that this server does not offer: the journal system
        // simply has no such data. A type the operator named is never skipped.
        warnings.push(`the server does not offer ${type} (HTTP ${status}); skipped`);
        break;
      }
      if (status !== 200)
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [`GET ${where(url)}: HTTP ${status}: the server refused to search ${type}`],
        });
      let bundle;
      try {
        bundle = parseBundle(text);
      } catch (cause) {
        throw new ReservError('SOURCE_RESPONSE_INVALID', {
          details: [`GET ${where(url)}: the answer is not a FHIR Bundle`],
          cause,
        });
      }
      if (bundle.type !== 'searchset')
        throw invalid(
          `GET ${where(url)}: the answer is a ${bundle.type ?? 'untyped'} Bundle, not a searchset`,
        );
      for (const [i, r] of bundle.resources.entries())
        writer.addResource(
          r.resourceType,
          r.id,
          r.text,
          `${type} search page ${pages} entry ${i + 1}`,
        );
      matches += bundle.resources.length;
      const next = bundle.links.find((l) => l.relation === 'next')?.url;
      if (next === undefined) url = undefined;
      else {
        let resolved: URL;
        try {
          resolved = new URL(next, url);
        } catch {
          throw invalid(`${type} search page ${pages}: the next link is not a URL`);
        }
        if (resolved.origin !== origin)
          throw invalid(
            `${type} search page ${pages}: the next link points at another server (${resolved.origin}); refusing to send credentials there`,
          );
        url = resolved.href;
      }
    }
    deps.log.info('source.search.type', { type: op(type), pages, resources: matches });
  }
  return {
    transactionTime,
    request: `${spec.base} (REST search: ${types.join(',')})`,
    warnings,
  };
}
