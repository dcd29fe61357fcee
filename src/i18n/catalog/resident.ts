/**
 * Texts of the resident views, Swedish and English (see core.ts). The older resident texts
 * (identity, alerts, resuscitation, medication, notes, contacts) live in core.ts; everything the
 * resident page and the key page added since is here, under the one key `resident`, so that no
 * text can collide with another catalogue part (checked below at compile time).
 */
import type * as changes from './changes.ts';
import type * as core from './core.ts';
import type { Catalog } from './types.ts';
import type * as unit from './unit.ts';

export const sv = {
  resident: {
    unnamedMedication: '(läkemedel utan namn)',
    unknownSubstance: '(okänt ämne)',
    protectedBadge: 'Skyddad identitet',
    language: 'Språk',
    homeCareClient: 'Hemtjänst',
    // Alerts
    criticalityHigh: 'Allvarlig reaktion',
    // Resuscitation and limits of treatment
    resuscitationUndated:
      'Ett ställningstagande finns men saknar beslutsdatum i kopian. Det kan inte följas: utan daterat beslut gäller att HLR ska ges. Kontakta ansvarig sjuksköterska.',
    resuscitationReviewOverdue: 'Omprövningsdatumet har passerat – kontakta ansvarig läkare.',
    missing: 'saknas i kopian',
    treatmentLimits: 'Andra begränsningar av behandling',
    doNotPerform: 'Ska inte ges/göras',
    // Palliative care
    palliative: 'Palliativ vård',
    palliativeNone: 'Ingen palliativ vård registrerad i denna kopia.',
    palliativeSince: 'Sedan',
    palliativeInjections: 'Vid behovs-injektioner (se läkemedelslistan)',
    // Medication
    minIntervalOther: 'minst {n} {unit} mellan doserna',
    notGivenReason: 'orsak',
    periodUnits: { min: 'min', h: 'tim', d: 'dygn', wk: 'veckor', s: 'sek', mo: 'mån', a: 'år' },
    // Risks
    risks: 'Risker och åtgärder',
    risksNone: 'Inga riskbedömningar i denna kopia.',
    riskMeasures: 'Åtgärder',
    riskMeasuresNone: 'Inga åtgärder dokumenterade.',
    riskAssessed: 'Bedömd',
    riskLevel: {
      certain: 'risk föreligger',
      high: 'hög risk',
      moderate: 'måttlig risk',
      low: 'låg risk',
      negligible: 'ingen risk',
    },
    riskOtherMeasures: 'Fler förebyggande åtgärder',
    // Care plans
    carePlans: 'Vårdplaner och genomförandeplan',
    carePlansNone: 'Inga vårdplaner eller genomförandeplan i denna kopia.',
    carePlanKind: {
      social: 'Social omsorg (SoL)',
      nursing: 'Omvårdnad (HSL)',
      rehab: 'Rehabilitering (HSL)',
      risk: 'Förebyggande åtgärder',
      other: 'Plan',
    },
    carePlanValidFrom: 'Gäller från',
    carePlanGoals: 'Mål',
    carePlanActivities: 'Så här',
    goalDue: 'senast',
    otherGoals: 'Mål utan plan i kopian',
    services: 'Beviljade insatser',
    servicesNone: 'Inga beviljade insatser i denna kopia.',
    // Notes
    notesLegend: 'SoL = social dokumentation, HSL = hälso- och sjukvård.',
    regime: { SoL: 'SoL', HSL: 'HSL', other: 'Okänd journal' },
    noteNoText: '(anteckningen har ingen text i kopian)',
    // Contacts
    careContactKind: { unit: 'Enheten', nurse: 'Ansvarig sjuksköterska', gp: 'Vårdcentral' },
    relatives: 'Närstående och företrädare',
    careContacts: 'Vård och omsorg',
    // Devices
    devices: 'Hjälpmedel och trygghetslarm',
    devicesNone: 'Inga hjälpmedel registrerade i denna kopia.',
    safetyAlarm: 'Trygghetslarm',
    noSafetyAlarm: 'Inget trygghetslarm registrerat i denna kopia.',
    // Visits
    visits: 'Besök',
    visitsNone: 'Inga kommande besök i denna kopia.',
    visitsIntro: 'Kommande besök enligt kopian, i tidsordning.',
    visitTime: 'Tid',
    visitService: 'Insats',
    visitStaff: 'Personal',
    visitMinutes: '{n} min',
    doubleStaffing: 'Dubbelbemanning',
    // Observations
    observations: 'Senaste mätvärden',
    observationsNone: 'Inga mätvärden i denna kopia.',
    observationWhat: 'Mätning',
    observationValue: 'Värde',
    observationDate: 'Datum',
    observationPrevious: 'Föregående',
    // Diet
    diet: 'Kost och konsistens',
    dietKind: 'Kost',
    dietTexture: 'Konsistens',
    dietFluid: 'Dryck',
    dietAvoid: 'Undvik',
    dietSupplements: 'Tillägg',
    dietInstruction: 'Instruktion',
    // Diagnoses
    diagnoses: 'Diagnoser',
    diagnosesNone: 'Inga diagnoser i denna kopia.',
    // Other information
    other: 'Övriga uppgifter',
    otherIntro: 'Uppgifter som sidan inte har någon egen rubrik för, som de står i kopian.',
    otherRestricted: 'Skyddad uppgift – innehållet visas inte här',
    // Keys and door codes
    keysButton: 'Visa nyckel och portkod',
    keysButtonHint: 'Visningen loggas.',
    keysNoneInCopy: 'Ingen nyckel- eller dörrinformation i denna kopia.',
    keysTitle: 'Nyckel och portkod',
    keysIntro:
      'Uppgifterna öppnar personens hem. Din visning är loggad. Skriv inte av dem och visa dem inte för någon annan.',
    keysNone: 'Det finns ingen nyckel- eller dörrinformation för personen i denna kopia.',
    keysRecorded: 'Registrerad',
    backToResident: 'Tillbaka till personens sida',
  },
} as const;

export const en: Catalog<typeof sv> = {
  resident: {
    unnamedMedication: '(medicine without a name)',
    unknownSubstance: '(unknown substance)',
    protectedBadge: 'Protected identity',
    language: 'Language',
    homeCareClient: 'Home care',
    criticalityHigh: 'Severe reaction',
    resuscitationUndated:
      'A decision exists but the copy has no decision date for it. It cannot be followed: without a dated decision, resuscitation is to be given. Contact the responsible nurse.',
    resuscitationReviewOverdue: 'The review date has passed – contact the responsible physician.',
    missing: 'missing in the copy',
    treatmentLimits: 'Other limits of treatment',
    doNotPerform: 'Not to be given/done',
    palliative: 'Palliative care',
    palliativeNone: 'No palliative care recorded in this copy.',
    palliativeSince: 'Since',
    palliativeInjections: 'As-needed injections (see the medication list)',
    minIntervalOther: 'at least {n} {unit} between doses',
    notGivenReason: 'reason',
    periodUnits: { min: 'min', h: 'h', d: 'days', wk: 'weeks', s: 's', mo: 'months', a: 'years' },
    risks: 'Risks and measures',
    risksNone: 'No risk assessments in this copy.',
    riskMeasures: 'Measures',
    riskMeasuresNone: 'No measures documented.',
    riskAssessed: 'Assessed',
    riskLevel: {
      certain: 'risk present',
      high: 'high risk',
      moderate: 'moderate risk',
      low: 'low risk',
      negligible: 'no risk',
    },
    riskOtherMeasures: 'More preventive measures',
    carePlans: 'Care plans and implementation plan',
    carePlansNone: 'No care plans or implementation plan in this copy.',
    carePlanKind: {
      social: 'Social care (SoL)',
      nursing: 'Nursing (HSL)',
      rehab: 'Rehabilitation (HSL)',
      risk: 'Preventive measures',
      other: 'Plan',
    },
    carePlanValidFrom: 'Valid from',
    carePlanGoals: 'Goals',
    carePlanActivities: 'How',
    goalDue: 'due',
    otherGoals: 'Goals without a plan in the copy',
    services: 'Granted services',
    servicesNone: 'No granted services in this copy.',
    notesLegend: 'SoL = social care documentation, HSL = health care.',
    regime: { SoL: 'SoL', HSL: 'HSL', other: 'Unknown record' },
    noteNoText: '(the note has no text in the copy)',
    careContactKind: { unit: 'The unit', nurse: 'Responsible nurse', gp: 'Health centre' },
    relatives: 'Relatives and representatives',
    careContacts: 'Care',
    devices: 'Assistive devices and safety alarm',
    devicesNone: 'No assistive devices recorded in this copy.',
    safetyAlarm: 'Safety alarm',
    noSafetyAlarm: 'No safety alarm recorded in this copy.',
    visits: 'Visits',
    visitsNone: 'No upcoming visits in this copy.',
    visitsIntro: 'Upcoming visits according to the copy, in time order.',
    visitTime: 'Time',
    visitService: 'Service',
    visitStaff: 'Staff',
    visitMinutes: '{n} min',
    doubleStaffing: 'Two staff',
    observations: 'Latest measurements',
    observationsNone: 'No measurements in this copy.',
    observationWhat: 'Measurement',
    observationValue: 'Value',
    observationDate: 'Date',
    observationPrevious: 'Previous',
    diet: 'Diet and texture',
    dietKind: 'Diet',
    dietTexture: 'Texture',
    dietFluid: 'Fluids',
    dietAvoid: 'Avoid',
    dietSupplements: 'Supplements',
    dietInstruction: 'Instruction',
    diagnoses: 'Diagnoses',
    diagnosesNone: 'No diagnoses in this copy.',
    other: 'Other information',
    otherIntro: 'Information the page has no heading of its own for, as it is in the copy.',
    otherRestricted: 'Restricted – the content is not shown here',
    keysButton: 'Show key and door code',
    keysButtonHint: 'Viewing is logged.',
    keysNoneInCopy: 'No key or door information in this copy.',
    keysTitle: 'Key and door code',
    keysIntro:
      'This information opens the person’s home. Your viewing is logged. Do not copy it and do not show it to anyone else.',
    keysNone: 'There is no key or door information for this person in this copy.',
    keysRecorded: 'Recorded',
    backToResident: 'Back to the person’s page',
  },
};

/** Compile-time check: no key of this part is also a key of another catalogue part. */
type Collisions = Extract<
  keyof typeof sv,
  keyof typeof core.sv | keyof typeof unit.sv | keyof typeof changes.sv
>;
export const noCollisions: [Collisions] extends [never] ? true : never = true;
