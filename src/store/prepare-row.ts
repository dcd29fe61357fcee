/**
 * Turning one NDJSON line into everything the station stores about it besides the line itself
 * (which goes into a compressed block, see raw-blocks.ts): checks (a JSON object
 * of the file's type with a valid id), the index columns, the references it makes, the
 * patient or unit lookup row, and findings about odd but authentic data. A pure function with no
 * database, so it can run on a worker thread while the main thread writes.
 */
import { ReservError, type ErrorCode } from '../core/errors.ts';
import { R4_RESOURCE_TYPES } from '../core/fhir-resource-types.ts';
import { foldForSearch } from '../core/fold.ts';
import { firstDuplicateKey, noRepeatedMembers } from '../core/json-duplicates.ts';
import { IDENTIFIER_OIDS, IDENTIFIER_SYSTEMS, parseIdentity } from '../core/personnummer.ts';
import { dateOf, patientOf, statusOf } from './index-columns.ts';

/** How `refs` writes the reference to the resource's own patient (see PreparedRow.refs). */
export const SELF_PATIENT_REF = '@';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_DEPTH = 64;
const KNOWN_SYSTEMS = new Set<string>(Object.values(IDENTIFIER_SYSTEMS));

type J = Record<string, unknown>;
/** The object elements of an array (null or other odd elements are skipped, never read). */
const arr = (v: unknown): J[] =>
  Array.isArray(v)
    ? (v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as J[])
    : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const refId = (v: unknown, type: string): string | undefined => {
  const r = str((v as J | undefined)?.reference);
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
};

export interface PatientIndexRow {
  id: string;
  unit: string | null;
  roomRef: string | null;
  room: string | null;
  family: string;
  given: string;
  display: string;
  fold: string;
  identValue: string | null;
  identNorm: string | null;
  identKind: string | null;
  identValid: number;
  birthDate: string | null;
  gender: string | null;
  protected: number;
}

export interface UnitIndexRow {
  id: string;
  name: string;
  kind: string | null;
  parentId: string | null;
  hsaId: string | null;
  phone: string | null;
}

export interface PreparedRow {
  type: string;
  id: string;
  patientId: string | null;
  date: string | null;
  status: string | null;
  /**
   * Referenced resources as a JSON array of "Type/id", or null when there are none. The
   * reference to the resource's own patient, which nearly every resource makes, is written as
   * SELF_PATIENT_REF ("@"): the patient's id is in `patientId` already, and the full text made
   * up almost half of every stored row.
   */
  refs: string | null;
  findings: [code: string, detail: string][];
  patient?: PatientIndexRow;
  unit?: UnitIndexRow;
}

/**
 * Relative literal references ("Type/id") anywhere in a resource. Returns the number of object
 * members it walked (for `noRepeatedMembers`; deeper than MAX_DEPTH they are not counted, which
 * only makes that proof fail safe).
 */
function collectReferences(value: unknown, out: string[], depth = 0): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return 0;
  let members = 0;
  if (Array.isArray(value)) {
    for (const v of value) members += collectReferences(v, out, depth + 1);
    return members;
  }
  for (const k in value as J) {
    members++;
    const v = (value as J)[k];
    if (k === 'reference' && typeof v === 'string') {
      if (/^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/.test(v)) out.push(v);
    } else if (typeof v === 'object') members += collectReferences(v, out, depth + 1);
  }
  return members;
}

function patientRow(p: J, today: Date, findings: [string, string][]): PatientIndexRow {
  const id = p.id as string;
  const name = arr(p.name).find((n) => n.use === 'official') ?? arr(p.name)[0] ?? {};
  const given = (Array.isArray(name.given) ? name.given : [])
    .filter((g) => typeof g === 'string')
    .join(' ');
  const family = str(name.family) ?? '';
  const display =
    (str(name.text) ?? `${given} ${family}`).normalize('NFC').trim() || '(namn saknas)';
  const identifiers = arr(p.identifier);
  const ident =
    identifiers.find(
      (i) => KNOWN_SYSTEMS.has(str(i.system) ?? '') || (str(i.system) ?? '') in IDENTIFIER_OIDS,
    ) ?? identifiers[0];
  const identValue = str(ident?.value);
  const parsed = identValue ? parseIdentity(identValue, today) : undefined;
  if (parsed?.kind === 'unknown')
    findings.push(['IDENTITY_UNRECOGNISED', 'identity number of an unknown form']);
  else if (parsed && parsed.kind !== 'reservnummer' && !parsed.checksumValid)
    findings.push(['IDENTITY_CHECKSUM', 'identity number has a wrong check digit']);
  const roomExt = arr(p.extension).find((e) => str(e.url)?.endsWith('/residence-room'));
  const room = str((roomExt?.valueReference as J | undefined)?.display);
  const isProtected = arr((p.meta as J | undefined)?.security).some(
    (c) => c.code === 'R' || c.code === 'V',
  );
  return {
    id,
    unit: refId(p.managingOrganization, 'Organization') ?? null,
    roomRef: refId(roomExt?.valueReference, 'Location') ?? null,
    room: room ?? null,
    family,
    given,
    display,
    fold: foldForSearch(`${display} ${room ?? ''}`),
    identValue: identValue ?? null,
    identNorm: parsed?.normalized ?? null,
    identKind: parsed?.kind ?? null,
    identValid: parsed?.checksumValid ? 1 : 0,
    birthDate: str(p.birthDate) ?? null,
    gender: str(p.gender) ?? null,
    protected: isProtected ? 1 : 0,
  };
}

function unitRow(o: J): UnitIndexRow {
  const hsa = arr(o.identifier).find((i) => String(i.system).endsWith('1.2.752.29.4.19'));
  return {
    id: o.id as string,
    name: str(o.name) ?? String(o.id),
    kind: str(arr(arr(o.type)[0]?.coding)[0]?.code) ?? null,
    parentId: refId(o.partOf, 'Organization') ?? null,
    hsaId: str(hsa?.value) ?? null,
    phone: str(arr(o.telecom).find((t) => t.system === 'phone')?.value) ?? null,
  };
}

/** Check and prepare one line of a file of `type`; throws a ReservError with `errorCode`. */
export function prepareRow(
  type: string,
  line: string,
  where: string,
  today: Date,
  errorCode: ErrorCode,
): PreparedRow {
  const reject = (what: string) => new ReservError(errorCode, { details: [`${where}: ${what}`] });
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    // The parser's message can quote the line: keep only the position, never the content.
    throw reject('not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw reject('not a JSON object');
  const r = json as J;
  if (r.resourceType !== type) throw reject(`not a ${type} resource`);
  if (typeof r.id !== 'string' || !FHIR_ID.test(r.id))
    throw reject('missing or invalid resource id');
  const findings: [string, string][] = [];
  if (!R4_RESOURCE_TYPES.has(type)) findings.push(['UNKNOWN_TYPE', 'not a FHIR R4 resource type']);
  const refs: string[] = [];
  const members = collectReferences(r, refs);
  // Stored as sent and flagged: the index and the screens use the last of the repeated members
  // (JSON.parse), and the finding says that the record itself is ambiguous. The full scan runs
  // only where the cheap proof does not hold.
  if (!noRepeatedMembers(line, members) && firstDuplicateKey(line) !== undefined)
    findings.push(['DUPLICATE_MEMBER', 'an object names a member twice; the last one is used']);
  const patientId = patientOf(r) ?? null;
  if (patientId !== null) {
    const own = `Patient/${patientId}`;
    for (let i = 0; i < refs.length; i++) if (refs[i] === own) refs[i] = SELF_PATIENT_REF;
  }
  const row: PreparedRow = {
    type,
    id: r.id,
    patientId,
    date: dateOf(r) ?? null,
    status: statusOf(r) ?? null,
    refs: refs.length > 0 ? JSON.stringify(refs) : null,
    findings,
  };
  if (type === 'Patient') row.patient = patientRow(r, today, findings);
  else if (type === 'Organization') row.unit = unitRow(r);
  return row;
}
