/**
 * Comparing one person's resources in two copies of the journal. Resources are matched by type
 * and id; two versions are the same when their JSON says the same thing, whatever the key order
 * and whatever `meta.lastUpdated` / `meta.versionId` say (a re-export touches those without a
 * change in care). Numbers are compared as written: 0.010 is not 0.01.
 *
 * A change is told in terms of the page: something that is now shown and was not is "added",
 * something that was shown and is not (stopped, withdrawn, gone from the export) is "removed",
 * something shown in both whose content differs is "changed".
 */
import { ExactNumber, parseExact, type ExactJson } from '../core/exact-json.ts';
import type { RawResource } from '../store/queries.ts';
import {
  CHANGE_SECTIONS,
  classify,
  medicationIdToLookUp,
  type ChangeSection,
  type Classified,
  type MedicationNames,
} from './change-sections.ts';
import { obj } from './fhir-read.ts';

/** Facts of a person's identity that can change between copies. */
export type IdentityField =
  'name' | 'identifier' | 'unit' | 'room' | 'address' | 'phone' | 'protected' | 'other';

export interface ChangeItem {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly type: string;
  readonly id: string;
  /** A short text from the data that names what changed (a medicine, an alert), verbatim. */
  readonly label: string;
  /** For identity changes: which fact changed. */
  readonly field?: IdentityField;
  /** For a change: the text that changed, before and after (a dosage text, an alert's text). */
  readonly before?: string;
  readonly after?: string;
  /** A date from the data that tells like items apart (a visit's start). */
  readonly date?: string;
}

export type SectionChanges = Readonly<Record<ChangeSection, readonly ChangeItem[]>>;

export interface ParsedResource extends RawResource {
  /** Undefined when the text could not be parsed (it is then compared as text). */
  readonly json: ExactJson | undefined;
}

export function parseResources<T extends RawResource>(
  rows: readonly T[],
): (T & { readonly json: ExactJson | undefined })[] {
  return rows.map((r) => {
    try {
      return { ...r, json: parseExact(r.raw) };
    } catch {
      return { ...r, json: undefined };
    }
  });
}

/** The Medication ids that orders name without a display text. */
export function medicationIdsToLookUp(resources: readonly ParsedResource[]): string[] {
  const ids = new Set<string>();
  for (const r of resources) {
    const id = medicationIdToLookUp(r.type, r.json);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/** JSON text with sorted keys and numbers as written, so equal content gives equal text. */
function canonical(v: ExactJson): string {
  if (v instanceof ExactNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k]!)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function withoutVersion(json: ExactJson): ExactJson {
  const o = obj(json);
  const meta = obj(o?.meta);
  if (!o || !meta) return json;
  const rest = { ...meta };
  delete rest.lastUpdated;
  delete rest.versionId;
  const body = { ...o };
  delete body.meta;
  return Object.keys(rest).length > 0 ? { ...body, meta: rest } : body;
}

export function sameContent(a: ParsedResource, b: ParsedResource): boolean {
  if (a.raw === b.raw) return true;
  if (a.json === undefined || b.json === undefined) return false;
  return canonical(withoutVersion(a.json)) === canonical(withoutVersion(b.json));
}

/** Whether two parts of parsed resources say the same thing (both absent counts as same). */
export function sameValue(a: ExactJson | undefined, b: ExactJson | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonical(a) === canonical(b);
}

export function emptySections(): Record<ChangeSection, ChangeItem[]> {
  return Object.fromEntries(CHANGE_SECTIONS.map((s) => [s, []])) as unknown as Record<
    ChangeSection,
    ChangeItem[]
  >;
}

const KIND_ORDER = { added: 0, removed: 1, changed: 2 } as const;

export function sortItems(items: ChangeItem[]): ChangeItem[] {
  return items.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.label.localeCompare(b.label, 'sv') ||
      (a.date ?? '').localeCompare(b.date ?? '') ||
      a.id.localeCompare(b.id),
  );
}

function item(
  kind: ChangeItem['kind'],
  r: ParsedResource,
  c: Classified,
  change?: { before: string; after: string },
): ChangeItem {
  return {
    kind,
    type: r.type,
    id: r.id,
    label: c.label,
    ...(change ?? {}),
    ...(c.date !== undefined ? { date: c.date } : {}),
  };
}

/**
 * The changes between two versions of one person's resources (the Patient itself excluded: see
 * changes.ts for identity), sorted within each section.
 */
export function diffResources(
  current: readonly ParsedResource[],
  previous: readonly ParsedResource[],
  names: { readonly current: MedicationNames; readonly previous: MedicationNames },
): Record<ChangeSection, ChangeItem[]> {
  const key = (r: ParsedResource) => `${r.type}/${r.id}`;
  const before = new Map(previous.map((r) => [key(r), r]));
  const sections = emptySections();
  const seen = new Set<string>();
  for (const c of current) {
    seen.add(key(c));
    const p = before.get(key(c));
    const now = classify(c.type, c.json, names.current);
    const then = p && classify(p.type, p.json, names.previous);
    if (now?.inForce && !then?.inForce) sections[now.section].push(item('added', c, now));
    else if (!now?.inForce && then?.inForce) sections[then.section].push(item('removed', p!, then));
    else if (now?.inForce && then?.inForce && !sameContent(c, p!)) {
      const change =
        now.detail !== undefined && now.detail !== then.detail
          ? { before: then.detail ?? '', after: now.detail }
          : now.label !== then.label
            ? { before: then.label, after: now.label }
            : undefined;
      sections[now.section].push(item('changed', c, now, change));
    }
  }
  for (const p of previous) {
    if (seen.has(key(p))) continue;
    const then = classify(p.type, p.json, names.previous);
    if (then?.inForce) sections[then.section].push(item('removed', p, then));
  }
  for (const s of CHANGE_SECTIONS) sortItems(sections[s]);
  return sections;
}
