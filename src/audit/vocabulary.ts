/**
 * The closed vocabulary of the audit log. Every entry names one action and one outcome from these
 * lists, and at most the flags below; the writer (audit-log.ts) refuses anything else, so a log
 * reviewer can filter on a fixed set of words and the FHIR export (export.ts) can map each word
 * to its IHE BALP / DICOM codes. Words are only ever added, never renamed or reused: entries
 * written years ago must keep their meaning (logs are kept at least five years).
 */

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  /** A search whose hit list showed patients. */
  'search',
  /** A record (or part of one) shown on screen or as JSON. */
  'view',
  'print',
  'export',
  /** A request refused by the access rules (role, unit, time window). */
  'denied',
  /** An emergency code issued, revoked or used. */
  'emergency',
  /** Access outside the user's own units, with a stated reason. */
  'break-glass',
  /** A snapshot imported into the station. */
  'import',
  /** Account changes: users created, disabled, passwords reset. */
  'admin',
] as const;

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

/** Flags mark entries a reviewer must look at first (domain brief §7: justified and reviewed). */
export const AUDIT_FLAGS = ['emergency', 'break-glass'] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type AuditFlag = (typeof AUDIT_FLAGS)[number];

/** What a caller hands to `append`; the log adds seq, time and the chain hashes. */
export interface AuditEventInput {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  /** The user name as signed in (or as typed, for a failed sign-in). */
  readonly user?: string;
  readonly role?: string;
  /** The unit (Organization id) the user acted in. */
  readonly unit?: string;
  /** FHIR Patient logical id. */
  readonly patient?: string;
  /** The personnummer (or other identity number) as the record has it, so a reviewer sees who. */
  readonly patientIdent?: string;
  /** The resources disclosed, as "Type/id". */
  readonly resources?: readonly string[];
  readonly snapshotId?: string;
  /** The reason given (break-glass, emergency) or why something failed or was denied. */
  readonly reason?: string;
  readonly flags?: readonly AuditFlag[];
  /** An opaque session reference (never the session secret itself). */
  readonly session?: string;
}

export function isAuditAction(v: unknown): v is AuditAction {
  return (AUDIT_ACTIONS as readonly unknown[]).includes(v);
}

export function isAuditOutcome(v: unknown): v is AuditOutcome {
  return (AUDIT_OUTCOMES as readonly unknown[]).includes(v);
}

export function isAuditFlag(v: unknown): v is AuditFlag {
  return (AUDIT_FLAGS as readonly unknown[]).includes(v);
}
