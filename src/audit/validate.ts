/**
 * Checking what callers hand to the audit log, before anything is written.
 *
 * An event that does not fit the vocabulary is a bug in the calling code, not a failing audit
 * store, so it is reported as INTERNAL ("please report"), not AUDIT_UNAVAILABLE: tests and
 * operators then see the bug for what it is. Either way `append` throws before its transaction
 * begins, so nothing of the batch is written and the caller discloses nothing.
 *
 * Normalisation (so the stored form has one spelling): the actions `emergency` and `break-glass`
 * always carry their own flag; flags are deduplicated and kept in vocabulary order, and an entry
 * without flags stores NULL, so "flagged" is simply `flags IS NOT NULL`.
 */
import { ReservError } from '../core/errors.ts';
import type { AuditRow } from './entry.ts';
import {
  AUDIT_FLAGS,
  isAuditAction,
  isAuditFlag,
  isAuditOutcome,
  type AuditEventInput,
  type AuditFlag,
} from './vocabulary.ts';

/** FHIR id (R4 datatypes: [A-Za-z0-9\-\.]{1,64}). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** A relative FHIR reference "Type/id". */
const RESOURCE_REF = /^[A-Z][A-Za-z]{0,63}\/[A-Za-z0-9\-.]{1,64}$/;

const STRING_FIELDS = [
  'user',
  'role',
  'unit',
  'patient',
  'patientIdent',
  'snapshotId',
  'reason',
  'session',
] as const;
const KNOWN_KEYS = new Set<string>([...STRING_FIELDS, 'action', 'outcome', 'resources', 'flags']);

/** The stored columns of an event, everything but the chain fields. */
export type EventColumns = Omit<AuditRow, 'seq' | 'at' | 'prev_hash' | 'hash'>;

function problemsOf(event: unknown): string[] {
  if (typeof event !== 'object' || event === null) return ['is not an object'];
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(e))
    if (!KNOWN_KEYS.has(key)) problems.push(`unknown field "${key}"`);
  if (!isAuditAction(e.action)) problems.push(`unknown action ${JSON.stringify(e.action)}`);
  if (!isAuditOutcome(e.outcome)) problems.push(`unknown outcome ${JSON.stringify(e.outcome)}`);
  for (const key of STRING_FIELDS) {
    const v = e[key];
    if (v !== undefined && v !== null && typeof v !== 'string') problems.push(`${key} is not text`);
  }
  if (typeof e.patient === 'string' && !FHIR_ID.test(e.patient))
    problems.push('patient is not a FHIR id');
  if (typeof e.unit === 'string' && !FHIR_ID.test(e.unit))
    problems.push('unit is not a FHIR (Organization) id');
  if (e.resources !== undefined && e.resources !== null) {
    if (!Array.isArray(e.resources)) problems.push('resources is not a list');
    else if (!e.resources.every((r) => typeof r === 'string' && RESOURCE_REF.test(r)))
      problems.push('resources must be "Type/id" references');
  }
  if (e.flags !== undefined && e.flags !== null) {
    if (!Array.isArray(e.flags)) problems.push('flags is not a list');
    else if (!e.flags.every(isAuditFlag)) problems.push('unknown flag');
  }
  return problems;
}

function normalisedFlags(event: AuditEventInput): AuditFlag[] {
  const given = new Set<AuditFlag>(event.flags ?? []);
  if (event.action === 'emergency') given.add('emergency');
  if (event.action === 'break-glass') given.add('break-glass');
  return AUDIT_FLAGS.filter((f) => given.has(f));
}

/** Check every event; throw INTERNAL naming all problems, or return the columns to store. */
export function toColumns(events: readonly AuditEventInput[]): EventColumns[] {
  // Callers in plain JavaScript (or with a cast) may pass anything; check before trusting the type.
  const given: unknown = events;
  if (!Array.isArray(given))
    throw new ReservError('INTERNAL', { details: ['audit append: events is not a list'] });
  const problems = events.flatMap((e, i) => problemsOf(e).map((p) => `audit event ${i + 1}: ${p}`));
  if (problems.length > 0) throw new ReservError('INTERNAL', { details: problems });
  return events.map((e) => {
    const flags = normalisedFlags(e);
    return {
      user: e.user ?? null,
      role: e.role ?? null,
      unit: e.unit ?? null,
      patient: e.patient ?? null,
      patient_ident: e.patientIdent ?? null,
      action: e.action,
      resources: e.resources == null ? null : JSON.stringify(e.resources),
      snapshot_id: e.snapshotId ?? null,
      outcome: e.outcome,
      reason: e.reason ?? null,
      flags: flags.length === 0 ? null : JSON.stringify(flags),
      session: e.session ?? null,
    };
  });
}
