/**
 * The station's user-interface text. Swedish is the default; English is the second language.
 * Every string shown to a person comes from here, so a translation is one file.
 */

export const sv = {
  appName: 'Reservjournal',
  tagline: 'Reservkopia av journalen – endast läsning och utskrift',
  dataAsOf: 'Uppgifter per',
  ago: 'sedan',
  freshnessWarning: 'Kopian är äldre än väntat. Nyare uppgifter kan finnas i journalsystemet.',
  freshnessCritical:
    'Kopian är mycket gammal. Kontrollera ordinationer och beslut med ansvarig sjuksköterska.',
  units: 'Enheter',
  unitsIntro: 'Välj enhet för att se de boende och brukarna.',
  nursingHomes: 'Särskilda boenden',
  homeCare: 'Hemtjänst',
  residentsCount: 'personer',
  search: 'Sök person',
  searchLabel: 'Personnummer, namn eller rum',
  searchButton: 'Sök',
  searchResults: 'Sökresultat',
  searchNone: 'Ingen person matchar sökningen i denna kopia.',
  room: 'Rum',
  name: 'Namn',
  personnummer: 'Personnummer',
  unit: 'Enhet',
  residents: 'Boende och brukare',
  backToUnits: 'Alla enheter',
  identity: 'Identitet',
  birthDate: 'Födelsedatum',
  address: 'Adress',
  phone: 'Telefon',
  protectedAddress: 'Skyddad identitet – adressen visas inte',
  identityFlagged: 'Kontrollsiffran stämmer inte – uppgiften visas som den finns i journalen',
  alertsAndAllergies: 'Varningar och överkänslighet',
  noAlerts: 'Inga varningar eller överkänsligheter registrerade i denna kopia.',
  resuscitation: 'Ställningstagande till hjärt-lungräddning',
  resuscitationNone:
    'Inget dokumenterat ställningstagande i denna kopia. Utan beslut gäller att HLR ska ges.',
  resuscitationNotPerform: 'Ej HLR',
  decidedBy: 'Beslutat av',
  decidedOn: 'Datum',
  reviewBy: 'Omprövas senast',
  reason: 'Motivering',
  medication: 'Läkemedel',
  medicationNone: 'Inga aktiva läkemedelsordinationer i denna kopia.',
  medicationLaterDoses:
    'Doser som getts efter att kopian togs finns inte här. Kontrollera signeringslistan på papper.',
  dosageText: 'Dosering (som ordinerat)',
  times: 'Tider',
  timesAndDose: 'Tider och dos',
  dose: 'Dos',
  asNeeded: 'Vid behov',
  maxDose: 'Högst',
  minInterval: 'minst {h} tim mellan doserna',
  doseDispensed: 'Dosdispenserad',
  givenBy: 'Ges av',
  lastGiven: 'Senast given',
  lastNotGiven: 'ej given',
  noAdministration: 'Ingen registrerad administrering i kopian',
  notes: 'Anteckningar senaste 7 dygnen',
  notesNone: 'Inga anteckningar de senaste 7 dygnen.',
  contacts: 'Kontakter',
  contactsNone: 'Inga kontakter registrerade.',
  mayReceiveInformation: 'får information',
  mayNotReceiveInformation: 'får inte information',
  unreadable:
    '{n} uppgifter om personen kunde inte visas här (ovanligt format). De finns kvar i kopian.',
  notFoundTitle: 'Hittades inte',
  errorTitle: 'Något gick fel',
  errorCode: 'Felkod',
  whatToDo: 'Gör så här',
  skipToContent: 'Hoppa till innehållet',
  weekdays: { mon: 'mån', tue: 'tis', wed: 'ons', thu: 'tors', fri: 'fre', sat: 'lör', sun: 'sön' },
  units_: { min: 'min', h: 'tim', d: 'dygn' },
} as const;

export type Messages = typeof sv;

export const WEB_ERRORS_SV: Partial<Record<string, { message: string; hint: string }>> = {
  NOT_FOUND: {
    message: 'Sidan eller uppgiften finns inte i denna kopia av journalen.',
    hint: 'Gå tillbaka till enhetslistan och sök igen.',
  },
  STORE_NO_DATA: {
    message: 'Stationen har inga uppgifter inlästa ännu.',
    hint: 'Kontakta den som ansvarar för reservstationen.',
  },
  HOST_REJECTED: {
    message: 'Stationen nås bara på sin egen adress.',
    hint: 'Öppna adressen som stationen visade när den startade (http://127.0.0.1:PORT).',
  },
  FORBIDDEN_ORIGIN: {
    message: 'Formuläret kom från en sida som inte tillhör stationen.',
    hint: 'Öppna stationen på dess egen adress och försök igen.',
  },
  INTERNAL: {
    message: 'Ett internt fel inträffade.',
    hint: 'Försök igen. Kvarstår felet: kontakta den som ansvarar för reservstationen.',
  },
};
