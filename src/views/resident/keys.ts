/**
 * Key and door information (Basic resources with the local key-access profile): digital lock
 * ids, key locations, door codes. It opens a person's home, so it is never part of the resident
 * view model: the page only learns whether there is any, and the values are read here, by the
 * audited key route alone (web/routes/keys.ts).
 */
import { parseExact, type ExactJson } from '../../core/exact-json.ts';
import type { Db } from '../../store/db.ts';
import { at, conceptText, extension, list, str } from '../fhir-read.ts';
import type { LoadedResource } from './load.ts';
import { patientResourcesOfType } from './queries.ts';

export interface KeyItem {
  /** The Basic resource's id (audited as "Basic/<id>"). */
  readonly id: string;
  /** The key and door instructions, verbatim. */
  readonly text: string;
  /** What kind of information it is, as the record names it. */
  readonly title: string | undefined;
  readonly recorded: string | undefined;
}

/** A Basic resource of the local key-access kind (by its code or its extension). */
export function isKeyResource(r: Pick<LoadedResource, 'type' | 'json'>): boolean {
  if (r.type !== 'Basic') return false;
  const kind = list(at(r.json, 'code', 'coding')).some(
    (c) =>
      (str(at(c, 'system')) ?? '').endsWith('/basic-kind') && str(at(c, 'code')) === 'key-access',
  );
  return kind || extension(r.json, '/key-access') !== undefined;
}

function keyText(json: ExactJson): string {
  const ext = extension(json, '/key-access');
  return str(ext?.valueString) ?? str(ext?.valueMarkdown) ?? '';
}

/** The key and door information of one person, as stored in the snapshot. */
export function keyInformation(db: Db, patientId: string): KeyItem[] {
  const out: KeyItem[] = [];
  for (const row of patientResourcesOfType(db, patientId, 'Basic')) {
    let json: ExactJson;
    try {
      json = parseExact(row.raw);
    } catch {
      continue;
    }
    if (!isKeyResource({ type: row.type, json })) continue;
    out.push({
      id: row.id,
      text: keyText(json),
      title: conceptText(at(json, 'code')),
      recorded: str(at(json, 'created')),
    });
  }
  return out;
}
