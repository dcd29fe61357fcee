/**
 * The resident view model: what the station shows (and later prints) about one person, built
 * from the stored raw resources. Plain data, no HTML: the web page and the print renderer both
 * read it. Every value that came from the journal is carried as text exactly as written.
 */
import { parseExact, type ExactJson } from '../core/exact-json.ts';
import { formatTwelveDigit } from '../core/personnummer.ts';
import type { Db } from '../store/db.ts';
import { getPatient, getResource, patientResources, type PatientRow } from '../store/queries.ts';
import {
  at,
  bool,
  code,
  conceptText,
  extension,
  list,
  num,
  obj,
  quantity,
  refId,
  str,
  type Node,
} from './fhir-read.ts';

export interface AlertItem {
  readonly kind: 'allergy' | 'flag';
  readonly code: string | undefined;
  readonly category: string | undefined;
  readonly text: string;
  readonly detail: string | undefined;
  readonly since: string | undefined;
}

export interface ResuscitationDecision {
  readonly doNotPerform: boolean;
  readonly text: string;
  readonly physician: string | undefined;
  readonly decidedOn: string | undefined;
  readonly reviewBy: string | undefined;
  readonly reason: string | undefined;
}

export interface MedicationLine {
  readonly id: string;
  readonly name: string;
  readonly dosageText: string;
  readonly times: string[];
  readonly days: string[];
  readonly doses: string[];
  readonly route: string | undefined;
  readonly asNeeded: {
    readonly reason: string | undefined;
    readonly maxPerPeriod: string | undefined;
    readonly minIntervalHours: string | undefined;
  } | null;
  readonly doseDispensed: boolean | undefined;
  readonly performer: string | undefined;
  readonly lastAdministration: {
    readonly at: string;
    readonly given: boolean;
    readonly dose: string | undefined;
  } | null;
}

export interface NoteItem {
  readonly date: string | undefined;
  readonly regime: string | undefined;
  readonly text: string;
}

export interface ContactItem {
  readonly name: string;
  readonly relationship: string | undefined;
  readonly phone: string | undefined;
  readonly mayReceiveInformation: boolean | undefined;
}

export interface ResidentView {
  readonly patient: PatientRow;
  readonly identityDisplay: string;
  readonly address: string | undefined;
  readonly phone: string | undefined;
  readonly alerts: AlertItem[];
  readonly resuscitation: ResuscitationDecision[];
  readonly medications: MedicationLine[];
  readonly notes: NoteItem[];
  readonly contacts: ContactItem[];
  /** Resources of this person that could not be read for display (kept in the store as sent). */
  readonly unreadable: number;
}

function nameOf(v: Node): string {
  const n = obj(list(v)[0]);
  if (!n) return '';
  const given = list(n.given)
    .map((g) => str(g) ?? '')
    .join(' ');
  return (str(n.text) ?? `${given} ${str(n.family) ?? ''}`).normalize('NFC').trim();
}

function decodeAttachment(v: Node): string {
  const a = obj(v);
  const data = str(a?.data);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return '';
}

function medicationName(db: Db, request: Node): string {
  const display = str(at(request, 'medicationReference', 'display'));
  if (display) return display;
  const inline = conceptText(at(request, 'medicationCodeableConcept'));
  if (inline) return inline;
  const id = refId(at(request, 'medicationReference'), 'Medication');
  const med = id ? getResource(db, 'Medication', id) : undefined;
  if (med) return conceptText(at(parseExact(med.raw), 'code')) ?? id!;
  return '(läkemedel utan namn)';
}

function medicationLine(
  db: Db,
  id: string,
  r: ExactJson,
  lastById: Map<string, { at: string; given: boolean; dose: string | undefined }>,
): MedicationLine {
  const dosages = list(at(r, 'dosageInstruction'));
  const first = dosages[0];
  const times = new Set<string>();
  const days = new Set<string>();
  const doses: string[] = [];
  for (const d of dosages) {
    for (const t of list(at(d, 'timing', 'repeat', 'timeOfDay')))
      times.add((str(t) ?? '').slice(0, 5));
    for (const w of list(at(d, 'timing', 'repeat', 'dayOfWeek'))) days.add(str(w) ?? '');
    for (const dr of list(at(d, 'doseAndRate'))) {
      const q = quantity(at(dr, 'doseQuantity'));
      const low = quantity(at(dr, 'doseRange', 'low'));
      const high = quantity(at(dr, 'doseRange', 'high'));
      const rate = quantity(at(dr, 'rateQuantity'));
      const dose =
        q ?? (low && high ? `${num(at(dr, 'doseRange', 'low', 'value'))}–${high}` : undefined);
      if (dose) doses.push(rate ? `${dose} (${rate})` : dose);
    }
  }
  const asNeeded =
    bool(at(first, 'asNeededBoolean')) === true ||
    at(first, 'asNeededCodeableConcept') !== undefined;
  const maxNum = quantity(at(first, 'maxDosePerPeriod', 'numerator'));
  const maxDen = quantity(at(first, 'maxDosePerPeriod', 'denominator'));
  const period = num(at(first, 'timing', 'repeat', 'period'));
  const periodUnit = str(at(first, 'timing', 'repeat', 'periodUnit'));
  return {
    id,
    name: medicationName(db, r),
    // The dosage text is shown exactly as ordered; all instructions share it in our source.
    dosageText: [...new Set(dosages.map((d) => str(at(d, 'text')) ?? ''))]
      .filter(Boolean)
      .join(' / '),
    times: [...times].sort(),
    days: [...days],
    doses,
    route: conceptText(at(first, 'route')),
    asNeeded: asNeeded
      ? {
          reason: conceptText(at(first, 'asNeededCodeableConcept')),
          maxPerPeriod: maxNum ? `${maxNum}${maxDen ? ` / ${maxDen}` : ''}` : undefined,
          minIntervalHours: periodUnit === 'h' ? period : undefined,
        }
      : null,
    doseDispensed: bool(extension(r, '/dose-dispensed')?.valueBoolean),
    performer: conceptText(at(r, 'performerType')),
    lastAdministration: lastById.get(id) ?? null,
  };
}

export function buildResidentView(
  db: Db,
  patientId: string,
  options: { now: Date },
): ResidentView | undefined {
  const patient = getPatient(db, patientId);
  if (!patient) return undefined;
  const rawPatient = getResource(db, 'Patient', patientId);
  // One odd resource (nested deeper than the display parser follows, say) must not take the
  // whole page down: it is counted and the page says so.
  let unreadable = 0;
  const tryParse = (raw: string): ExactJson | undefined => {
    try {
      return parseExact(raw);
    } catch {
      unreadable++;
      return undefined;
    }
  };
  const p = rawPatient ? (tryParse(rawPatient.raw) ?? null) : null;
  const resources = patientResources(db, patientId).flatMap((r) => {
    const json = tryParse(r.raw);
    return json === undefined ? [] : [{ ...r, json }];
  });
  const byType = (type: string) => resources.filter((r) => r.type === type);

  const address = patient.protected
    ? undefined
    : (() => {
        const a = obj(list(at(p, 'address'))[0]);
        if (!a) return undefined;
        const line = list(a.line)
          .map((l) => str(l) ?? '')
          .join(', ');
        return [line, [str(a.postalCode), str(a.city)].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ');
      })();

  const alerts: AlertItem[] = [
    ...byType('AllergyIntolerance')
      .filter((r) => code(at(r.json, 'clinicalStatus')) !== 'inactive')
      .map((r) => ({
        kind: 'allergy' as const,
        code: 'ALLERGY',
        category:
          list(at(r.json, 'category'))
            .map((c) => str(c))
            .join(', ') || undefined,
        text: conceptText(at(r.json, 'code')) ?? '(okänt ämne)',
        detail:
          list(at(r.json, 'reaction'))
            .flatMap((x) => list(at(x, 'manifestation')).map((m) => conceptText(m)))
            .filter(Boolean)
            .join(', ') || undefined,
        since: str(at(r.json, 'recordedDate')),
      })),
    ...byType('Flag')
      .filter(
        (r) => str(at(r.json, 'status')) === 'active' && code(at(r.json, 'code')) !== 'ALLERGY',
      )
      .map((r) => ({
        kind: 'flag' as const,
        code: code(at(r.json, 'code')),
        category: code(list(at(r.json, 'category'))[0]),
        text: conceptText(at(r.json, 'code')) ?? '',
        detail: undefined,
        since: str(at(r.json, 'period', 'start')),
      })),
  ];

  const resuscitation = byType('ServiceRequest')
    .filter(
      (r) => code(at(r.json, 'code')) === '89666000' && str(at(r.json, 'status')) === 'active',
    )
    .map((r) => ({
      doNotPerform: bool(at(r.json, 'doNotPerform')) === true,
      text: conceptText(at(r.json, 'code')) ?? '',
      physician: str(at(r.json, 'requester', 'display')),
      decidedOn: str(at(r.json, 'authoredOn')),
      reviewBy: str(extension(r.json, '/review-date')?.valueDate),
      reason: list(at(r.json, 'reasonCode'))
        .map((c) => conceptText(c))
        .filter(Boolean)
        .join(' '),
    }));

  const lastById = new Map<string, { at: string; given: boolean; dose: string | undefined }>();
  for (const a of byType('MedicationAdministration')) {
    const requestId = refId(at(a.json, 'request'), 'MedicationRequest');
    const when =
      str(at(a.json, 'effectiveDateTime')) ?? str(at(a.json, 'effectivePeriod', 'start'));
    if (!requestId || !when) continue;
    const prev = lastById.get(requestId);
    if (!prev || Date.parse(when) > Date.parse(prev.at)) {
      lastById.set(requestId, {
        at: when,
        given: str(at(a.json, 'status')) === 'completed',
        dose: quantity(at(a.json, 'dosage', 'dose')),
      });
    }
  }
  const medications = byType('MedicationRequest')
    .filter((r) => str(at(r.json, 'status')) === 'active')
    .map((r) => medicationLine(db, r.id, r.json, lastById))
    .sort(
      (a, b) =>
        Number(a.asNeeded !== null) - Number(b.asNeeded !== null) ||
        a.name.localeCompare(b.name, 'sv'),
    );

  const weekAgo = options.now.getTime() - 7 * 24 * 3600_000;
  const notes = byType('DocumentReference')
    .map((r) => ({
      date: str(at(r.json, 'date')),
      regime: code(list(at(r.json, 'category'))[0]),
      text: list(at(r.json, 'content'))
        .map((c) => decodeAttachment(at(c, 'attachment')))
        .join('\n'),
    }))
    .filter((n) => n.date === undefined || Date.parse(n.date) >= weekAgo)
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));

  const contacts = byType('RelatedPerson').map((r) => ({
    name: nameOf(at(r.json, 'name')),
    relationship:
      list(at(r.json, 'relationship'))
        .map((c) => conceptText(c))
        .filter(Boolean)
        .join(', ') || undefined,
    phone: str(at(list(at(r.json, 'telecom'))[0], 'value')),
    mayReceiveInformation: bool(extension(r.json, '/may-receive-information')?.valueBoolean),
  }));

  return {
    patient,
    identityDisplay:
      patient.identNorm && /^\d{12}$/.test(patient.identNorm)
        ? formatTwelveDigit(patient.identNorm)
        : (patient.identValue ?? ''),
    address,
    phone: str(at(list(at(p, 'telecom'))[0], 'value')),
    alerts,
    resuscitation,
    medications,
    notes,
    contacts,
    unreadable,
  };
}
