/**
 * Texts of the printouts (src/print), Swedish and English (see core.ts). Everything lives under
 * the one key `print`; texts the screens already have (identity, medication, resuscitation,
 * contacts) are reused from core.ts and resident.ts so that paper and screen say the same thing.
 */
import type * as changes from './changes.ts';
import type * as core from './core.ts';
import type * as resident from './resident.ts';
import type { Catalog } from './types.ts';
import type * as unit from './unit.ts';

export const sv = {
  print: {
    // The PDF's own metadata (Info /Title): never a person's name.
    documentTitle: 'Reservutskrift',
    // The page frame (reliability row L8): on every page.
    mark: 'Reservutskrift – förstörs efter driftstopp',
    dataAsOf: 'Uppgifter per {time}',
    printedBy: 'Utskrivet av {user} {time}',
    page: 'Sida {n}/{m}',
    auditRef: 'Logg {ref}',
    // Resident summary
    summaryTitle: 'Sammanfattning',
    medicationOverview: 'Läkemedel (översikt – hela listan finns i läkemedelslistan)',
    measures: 'Åtgärder',
    relatives: 'Närstående',
    careContacts: 'Vård och omsorg',
    since: 'sedan {date}',
    // Medication list
    medicationListTitle: 'Läkemedelslista',
    medicationCount: 'Alla aktiva ordinationer i kopian: {n}.',
    route: 'Administrering',
    // Signing sheet
    signingTitle: 'Signeringslista',
    signingPeriod: '{from} – {to} ({hours} tim)',
    signingIntro:
      'Signera med dina initialer i rutan när dosen är given. Grå ruta: ingen dos enligt ordinationen, eller utanför listans tid.',
    signingTime: 'Kl',
    signingAsWritten: 'Enligt dosering',
    signingOnDays: 'Endast: {days}',
    signingNoRegular: 'Inga stående ordinationer att signera i denna kopia.',
    prnLogTitle: 'Vid behov – givna doser',
    prnLogIntro:
      'Skriv varje given vid behov-dos på en egen rad. Följ högsta dos och minsta tid mellan doserna.',
    prnLogNone: 'Inga vid behov-ordinationer i denna kopia.',
    prnLogColumns: {
      time: 'Datum och tid',
      medication: 'Läkemedel och dos',
      reason: 'Orsak',
      effect: 'Effekt (tid)',
      signature: 'Signatur',
    },
    legendTitle: 'Signaturförtydligande',
    legendIntro:
      'Alla som signerar på denna lista, även delegerad omvårdnadspersonal, fyller i en rad.',
    legendColumns: { name: 'Namn (textat)', signature: 'Namnteckning', initials: 'Initialer' },
    // Unit pack
    coverTitle: 'Reservutskrift för enheten',
    coverDataAge: 'Uppgifter per {time} ({age}).',
    coverSigning: 'Signeringslistor för {hours} tim från {from}.',
    coverContents:
      'För varje person: sammanfattning, läkemedelslista och signeringslista. Sist: enhetens kontaktlista.',
    coverResidents: 'Personer och rum: {n}',
    contactListTitle: 'Kontaktlista',
    contactListUnit: 'Enheten och vården',
    contactListRelatives: 'Närstående och företrädare',
    contactPerson: 'Person',
    contactName: 'Kontakt',
    contactRelation: 'Relation',
    contactInformation: 'Information',
    // Home-care route list
    routeListTitle: 'Körlista',
    routeListPeriod: '{from} – {to}',
    routeListIntro:
      'Besök enligt kopian, i tidsordning. Ändringar efter att kopian togs syns inte här. Signera varje besök när det är gjort.',
    routeListCount: 'Besök under perioden: {n}, varav med dubbelbemanning: {double}.',
    routeListNone: 'Inga besök under perioden i denna kopia.',
    routeListKeysWarning:
      'Listan innehåller nyckel- och dörrinformation. Bär den på dig, lämna den aldrig i bilen eller hos en brukare, och förstör den efter driftstopp.',
    routeListKeysNone: 'Ingen i kopian',
    routeListColumns: {
      time: 'Tid',
      person: 'Person',
      services: 'Insatser',
      staff: 'Personal',
      address: 'Adress',
      keys: 'Nyckel och port',
      done: 'Utfört, sign.',
    },
    // Downtime note form
    noteFormTitle: 'Anteckningar under driftstopp',
    noteFormIntro:
      'En händelse per ruta. Skriv tydligt. Anteckningarna förs in i journalen när systemet fungerar igen; den som för in fyller i den sista raden i rutan.',
    noteFormEntry: 'Anteckning {n}',
    noteFormEventTime: 'Händelsetid (datum, kl)',
    noteFormEntryTime: 'Antecknat (datum, kl)',
    noteFormRegime: 'Journal',
    noteFormText: 'Anteckning',
    noteFormSignature: 'Signatur, namnförtydligande, titel',
    noteFormTransferred: 'Överfört till journalen av / när',
    // Transfer checklist
    checklistTitle: 'Överföringslista efter driftstopp',
    checklistPeriod: 'Period: {from} – {to}',
    checklistIntro:
      'Ur loggen: vad som skrevs ut eller visades om enhetens personer under perioden. För in allt som skrivits på papper i journalen, bocka av och signera. Personer utan utskrift eller visning står också med, så att listan är hel.',
    checklistCount: 'Utskrifter eller visningar under perioden: {n} av {total} personer.',
    checklistColumns: {
      room: 'Rum',
      person: 'Person',
      printed: 'Utskrivet',
      viewed: 'Visat',
      by: 'Av',
      transferred: 'Överfört',
      signature: 'Signatur',
    },
    checklistNothing: 'inget utskrivet eller visat',
    checklistOnce: '1 gång: {time}',
    checklistMany: '{n} gånger: {from} – {to}',
    checklistDocument: '{document}, {times}',
    checklistPrintUnnamed: 'Utskrift',
    checklistNotInUnit: 'Inte längre på enheten',
    checklistNotInCopy: 'Finns inte i kopian',
    // What a print entry's reason names (the document printed), for the checklist
    documentKinds: {
      'resident-summary': 'Sammanfattning',
      'medication-list': 'Läkemedelslista',
      'signing-sheet': 'Signeringslista',
      'unit-pack': 'Reservutskrift för enheten',
      'route-list': 'Körlista',
      'note-form': 'Anteckningsblankett',
      'transfer-checklist': 'Överföringslista',
    },
  },
} as const;

export const en: Catalog<typeof sv> = {
  print: {
    documentTitle: 'Downtime printout',
    mark: 'Downtime copy – destroy after the outage',
    dataAsOf: 'Data as of {time}',
    printedBy: 'Printed by {user} {time}',
    page: 'Page {n}/{m}',
    auditRef: 'Log {ref}',
    summaryTitle: 'Summary',
    medicationOverview: 'Medication (overview – the full list is in the medication list)',
    measures: 'Measures',
    relatives: 'Relatives',
    careContacts: 'Care contacts',
    since: 'since {date}',
    medicationListTitle: 'Medication list',
    medicationCount: 'All active orders in this copy: {n}.',
    route: 'Route',
    signingTitle: 'Signing sheet',
    signingPeriod: '{from} – {to} ({hours} h)',
    signingIntro:
      'Sign with your initials in the box when the dose has been given. Grey box: no dose by the order, or outside the period of this sheet.',
    signingTime: 'Time',
    signingAsWritten: 'As in the dosage',
    signingOnDays: 'Only: {days}',
    signingNoRegular: 'No regular orders to sign in this copy.',
    prnLogTitle: 'As needed (PRN) – doses given',
    prnLogIntro:
      'Write each as-needed dose given on a line of its own. Keep to the maximum dose and the minimum interval.',
    prnLogNone: 'No as-needed orders in this copy.',
    prnLogColumns: {
      time: 'Date and time',
      medication: 'Medicine and dose',
      reason: 'Reason',
      effect: 'Effect (time)',
      signature: 'Signature',
    },
    legendTitle: 'Signature legend',
    legendIntro: 'Everyone who signs this sheet, delegated care staff included, fills in a line.',
    legendColumns: { name: 'Name (in capitals)', signature: 'Signature', initials: 'Initials' },
    coverTitle: 'Downtime printout for the unit',
    coverDataAge: 'Data as of {time} ({age}).',
    coverSigning: 'Signing sheets for {hours} h from {from}.',
    coverContents:
      'For each person: summary, medication list and signing sheet. Last: the unit’s contact list.',
    coverResidents: 'People and rooms: {n}',
    contactListTitle: 'Contact list',
    contactListUnit: 'The unit and care',
    contactListRelatives: 'Relatives and representatives',
    contactPerson: 'Person',
    contactName: 'Contact',
    contactRelation: 'Relationship',
    contactInformation: 'Information',
    routeListTitle: 'Route list',
    routeListPeriod: '{from} – {to}',
    routeListIntro:
      'Visits as in this copy, in time order. Changes made after the copy was taken are not shown. Sign each visit when it is done.',
    routeListCount: 'Visits in the period: {n}, with two staff: {double}.',
    routeListNone: 'No visits in the period in this copy.',
    routeListKeysWarning:
      'This list holds key and door information. Keep it on you, never leave it in the car or at a client’s home, and destroy it after the outage.',
    routeListKeysNone: 'None in this copy',
    routeListColumns: {
      time: 'Time',
      person: 'Person',
      services: 'Services',
      staff: 'Staff',
      address: 'Address',
      keys: 'Key and door',
      done: 'Done, sign.',
    },
    noteFormTitle: 'Notes during the outage',
    noteFormIntro:
      'One event per box. Write clearly. The notes are entered into the journal when the system is back; whoever enters one fills in the last line of its box.',
    noteFormEntry: 'Note {n}',
    noteFormEventTime: 'Time of event (date, time)',
    noteFormEntryTime: 'Written (date, time)',
    noteFormRegime: 'Record',
    noteFormText: 'Note',
    noteFormSignature: 'Signature, name in capitals, title',
    noteFormTransferred: 'Transferred to the journal by / when',
    checklistTitle: 'Transfer checklist after the outage',
    checklistPeriod: 'Period: {from} – {to}',
    checklistIntro:
      'From the log: what was printed or viewed about the unit’s people during the period. Enter everything written on paper into the journal, tick and sign. People with nothing printed or viewed are listed too, so that the list is complete.',
    checklistCount: 'Printed or viewed during the period: {n} of {total} people.',
    checklistColumns: {
      room: 'Room',
      person: 'Person',
      printed: 'Printed',
      viewed: 'Viewed',
      by: 'By',
      transferred: 'Transferred',
      signature: 'Signature',
    },
    checklistNothing: 'nothing printed or viewed',
    checklistOnce: 'once: {time}',
    checklistMany: '{n} times: {from} – {to}',
    checklistDocument: '{document}, {times}',
    checklistPrintUnnamed: 'Printout',
    checklistNotInUnit: 'No longer in the unit',
    checklistNotInCopy: 'Not in this copy',
    documentKinds: {
      'resident-summary': 'Summary',
      'medication-list': 'Medication list',
      'signing-sheet': 'Signing sheet',
      'unit-pack': 'Downtime printout for the unit',
      'route-list': 'Route list',
      'note-form': 'Note form',
      'transfer-checklist': 'Transfer checklist',
    },
  },
};

/** Compile-time check: no key of this part is also a key of another catalogue part. */
type Collisions = Extract<
  keyof typeof sv,
  keyof typeof core.sv | keyof typeof resident.sv | keyof typeof unit.sv | keyof typeof changes.sv
>;
export const noCollisions: [Collisions] extends [never] ? true : never = true;
