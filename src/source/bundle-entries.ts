/**
 * Taking resources out of a FHIR Bundle without losing what their text says.
 *
 * Bundles arrive as one JSON document (a file, a search page), so a resource's own line has to
 * be written anew. JSON.parse would turn the decimal 0.010 into 0.01 (FHIR decimals carry
 * precision in their digits, https://hl7.org/fhir/R4/datatypes.html#decimal), so the Bundle is
 * parsed with parseExact and each resource written back with every number exactly as received;
 * only insignificant white space changes.
 */
import { ExactNumber, parseExact, type ExactJson } from '../core/exact-json.ts';

/** Compact JSON text of a parsed value, numbers exactly as written in the source. */
export function exactText(value: ExactJson): string {
  if (value instanceof ExactNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(exactText).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${exactText(v)}`);
  return `{${parts.join(',')}}`;
}

export interface BundleResource {
  readonly resourceType: unknown;
  readonly id: unknown;
  readonly text: string;
}

export interface ParsedBundle {
  readonly type: string | undefined;
  readonly timestamp: string | undefined;
  /** Resources of entries that are search matches (or not search results at all). */
  readonly resources: BundleResource[];
  /** Entries skipped: search includes/outcomes, and entries without a resource (DELETE). */
  readonly skipped: number;
  readonly links: { relation: string; url: string }[];
}

type Obj = { [key: string]: ExactJson };

function isObj(v: ExactJson | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ExactNumber);
}

/** Throws SyntaxError for text that is not JSON, TypeError for JSON that is not a Bundle. */
export function parseBundle(text: string): ParsedBundle {
  const doc = parseExact(text);
  if (!isObj(doc) || doc.resourceType !== 'Bundle') throw new TypeError('not a Bundle');
  const resources: BundleResource[] = [];
  let skipped = 0;
  const entries = Array.isArray(doc.entry) ? doc.entry : [];
  for (const entry of entries) {
    if (!isObj(entry)) throw new TypeError('a Bundle entry is not an object');
    // https://hl7.org/fhir/R4/valueset-search-entry-mode.html: only `match` entries are the
    // results asked for; `include` entries are context, `outcome` entries are messages.
    const mode = isObj(entry.search) ? entry.search.mode : undefined;
    const resource = entry.resource;
    if ((mode !== undefined && mode !== 'match') || resource === undefined) {
      skipped++;
      continue;
    }
    if (!isObj(resource)) throw new TypeError('a Bundle entry resource is not an object');
    resources.push({
      resourceType: resource.resourceType,
      id: resource.id,
      text: exactText(resource),
    });
  }
  const links = (Array.isArray(doc.link) ? doc.link : []).flatMap((l) =>
    isObj(l) && typeof l.relation === 'string' && typeof l.url === 'string'
      ? [{ relation: l.relation, url: l.url }]
      : [],
  );
  return {
    type: typeof doc.type === 'string' ? doc.type : undefined,
    timestamp: typeof doc.timestamp === 'string' ? doc.timestamp : undefined,
    resources,
    skipped,
    links,
  };
}
