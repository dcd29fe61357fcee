/**
 * The codes the FHIR export uses, each from the standard named beside it. Sources followed:
 * - IHE Basic Audit Log Patterns (BALP) 1.1.x, https://profiles.ihe.net/ITI/BALP/ (source:
 *   https://github.com/IHE/ITI.BasicAudit, input/fsh/PatientRead.fsh, PatientQuery.fsh,
 *   Disclose.fsh, AuthZ.fsh).
 * - DICOM PS3.16 CID 400 "Audit Event ID" and CID 401/403 "Audit Event Type Code" / "Security
 *   Alert Type Code", http://dicom.nema.org/resources/ontology/DCM (as listed in
 *   https://github.com/bvdh/dicom-terminology-in-fhir, ValueSet-dicom-cid-403-…).
 * - FHIR R4 AuditEvent, https://hl7.org/fhir/R4/auditevent.html, its break-glass example
 *   (https://build.fhir.org/auditevent-example-breakglass-start.json: type DCM 110113, subtype
 *   DCM 110127, purpose ETREAT) and the outcome value set
 *   https://hl7.org/fhir/R4/valueset-audit-event-outcome.html.
 */

export const SYSTEM = {
  auditEventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  /** ISO 21089 record lifecycle events (BALP privacy disclosure: `disclose`). */
  lifecycle: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  roleClass: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass',
  /** BALP's own code system for authorization decisions (AuthZ.fsh). */
  balpAuthZ: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType',
} as const;

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

const c = (system: string, code: string, display: string): Coding => ({ system, code, display });

export const CODE = {
  // Event types (AuditEvent.type)
  rest: c(SYSTEM.auditEventType, 'rest', 'Restful Operation'),
  export: c(SYSTEM.dicom, '110106', 'Export'),
  import: c(SYSTEM.dicom, '110107', 'Import'),
  securityAlert: c(SYSTEM.dicom, '110113', 'Security Alert'),
  userAuthentication: c(SYSTEM.dicom, '110114', 'User Authentication'),
  // Subtypes (AuditEvent.subtype)
  read: c(SYSTEM.restfulInteraction, 'read', 'read'),
  search: c(SYSTEM.restfulInteraction, 'search', 'search'),
  disclose: c(SYSTEM.lifecycle, 'disclose', 'Disclose Record Lifecycle Event'),
  login: c(SYSTEM.dicom, '110122', 'Login'),
  logout: c(SYSTEM.dicom, '110123', 'Logout'),
  emergencyOverrideStarted: c(SYSTEM.dicom, '110127', 'Emergency Override Started'),
  userSecurityAttributesChanged: c(SYSTEM.dicom, '110137', 'User Security Attributes Changed'),
  authzRole: c(SYSTEM.balpAuthZ, 'AuthZ-Role', 'Authorization Decision using only Roles'),
  // Purpose of event (v3 ActReason)
  breakTheGlass: c(SYSTEM.actReason, 'BTG', 'break the glass'),
  emergencyTreatment: c(SYSTEM.actReason, 'ETREAT', 'Emergency Treatment'),
  // Entities and agents
  person: c(SYSTEM.entityType, '1', 'Person'),
  systemObject: c(SYSTEM.entityType, '2', 'System Object'),
  other: c(SYSTEM.entityType, '4', 'Other'),
  patientRole: c(SYSTEM.objectRole, '1', 'Patient'),
  domainResource: c(SYSTEM.objectRole, '4', 'Domain Resource'),
  applicationServer: c(SYSTEM.sourceType, '4', 'Application Server'),
  sourceRole: c(SYSTEM.dicom, '110153', 'Source Role ID'),
  informationRecipient: c(SYSTEM.participationType, 'IRCP', 'information recipient'),
  healthcareProvider: c(SYSTEM.roleClass, 'PROV', 'healthcare provider'),
} as const satisfies Record<string, Coding>;

/**
 * AuditEvent.outcome (R4: a code from audit-event-outcome): 0 success; 4 "minor failure (often
 * equivalent to an HTTP 400)", which is what a failed sign-in or a refused input is; 8 "serious
 * failure", which BALP's own authorization-deny example uses for a denial (AuthZ.fsh,
 * ex-auditAuthZconsent-deny). 12 ("major failure, made unavailable") is never ours to record.
 */
export const OUTCOME_CODE = { success: '0', failure: '4', denied: '8' } as const;
