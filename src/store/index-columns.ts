/**
 * What the station indexes from each resource: the patient it belongs to, a date to sort by, and
 * its status. Works on any FHIR resource type; unknown types simply get fewer columns.
 */

type Json = Record<string, unknown>;

function ref(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = (value as Json).reference;
  return typeof r === 'string' ? r : undefined;
}

function patientIdFrom(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const m = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  return m?.[1];
}

export function patientOf(resource: Json): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id as string;
  for (const key of ['subject', 'patient', 'beneficiary']) {
    const id = patientIdFrom(ref(resource[key]));
    if (id) return id;
  }
  const participants = resource.participant;
  if (Array.isArray(participants)) {
    for (const p of participants as unknown[]) {
      if (p === null || typeof p !== 'object') continue;
      const id = patientIdFrom(ref((p as Json).actor));
      if (id) return id;
    }
  }
  return undefined;
}

const DATE_FIELDS = [
  'effectiveDateTime',
  'occurrenceDateTime',
  'authoredOn',
  'date',
  'dateTime',
  'start',
  'recordedDate',
  'created',
  'issued',
] as const;

export function dateOf(resource: Json): string | undefined {
  for (const key of DATE_FIELDS) {
    const v = resource[key];
    if (typeof v === 'string') return v;
  }
  const period = resource.period as Json | undefined;
  if (period && typeof period.start === 'string') return period.start;
  return undefined;
}

export function statusOf(resource: Json): string | undefined {
  return typeof resource.status === 'string' ? resource.status : undefined;
}
