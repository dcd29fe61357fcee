/**
 * Canonical URLs for the extensions and local code systems that the synthetic journal system
 * ("Exempelby kommun") uses, and that the station reads. Standard systems come first, each from
 * the HL7 or WHO definition named beside it.
 */

const BASE = 'http://reservjournal.example/fhir';

export const SYSTEMS = {
  /** WHO ATC classification. */
  atc: 'http://www.whocc.no/atc',
  /** ICD-10-SE (Socialstyrelsen), by its OID. */
  icd10se: 'urn:oid:1.2.752.116.1.1.1.1.3',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  /** http://terminology.hl7.org/CodeSystem/v3-Confidentiality (R = restricted, V = very restricted). */
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** http://terminology.hl7.org/CodeSystem/flag-category */
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  /** http://terminology.hl7.org/CodeSystem/v3-RoleCode */
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  riskProbability: 'http://terminology.hl7.org/CodeSystem/risk-probability',
  /** Local: SoL (social care) or HSL (health care) record regime. */
  regime: `${BASE}/CodeSystem/record-regime`,
  /** Local: kinds of units. */
  unitType: `${BASE}/CodeSystem/unit-type`,
  /** Local: staff roles. */
  staffRole: `${BASE}/CodeSystem/staff-role`,
  /** Local: alert codes used in Flag.code. */
  alert: `${BASE}/CodeSystem/alert`,
  /** Local: kinds of Basic resources. */
  basicKind: `${BASE}/CodeSystem/basic-kind`,
  /** Local: care plan kinds (genomförandeplan, omvårdnadsplan). */
  carePlanKind: `${BASE}/CodeSystem/care-plan-kind`,
} as const;

export const EXTENSIONS = {
  /** Patient: the room (Location) a nursing-home resident lives in. */
  room: `${BASE}/StructureDefinition/residence-room`,
  /** MedicationRequest: the medicine arrives dose-dispensed (dosdispenserad, ApoDos). */
  doseDispensed: `${BASE}/StructureDefinition/dose-dispensed`,
  /** ServiceRequest (resuscitation decision): date by which the decision must be reviewed. */
  reviewDate: `${BASE}/StructureDefinition/review-date`,
  /** PractitionerRole: medication delegation (complex: scope, period, delegatedBy). */
  delegation: `${BASE}/StructureDefinition/medication-delegation`,
  /** RelatedPerson: may receive information about the person's care. */
  mayReceiveInformation: `${BASE}/StructureDefinition/may-receive-information`,
  /** Basic (key information): free-text key and door access instructions. */
  keyAccess: `${BASE}/StructureDefinition/key-access`,
} as const;
