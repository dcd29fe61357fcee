/**
 * Medicines and the orders a Swedish municipal nurse would copy from the physician's list.
 * ATC codes are the WHO ATC codes. Dosage texts are written as they appear on a Swedish
 * medication list (läkemedelslista): the station shows them verbatim and never re-derives a dose.
 */

export interface MedicationItem {
  readonly key: string;
  readonly atc: string;
  readonly name: string;
  readonly form: string;
}

export const MEDICATIONS = [
  { key: 'paracetamol-500', atc: 'N02BE01', name: 'Alvedon 500 mg tablett', form: 'Tablett' },
  {
    key: 'omeprazol-20',
    atc: 'A02BC01',
    name: 'Omeprazol 20 mg enterokapsel',
    form: 'Enterokapsel',
  },
  {
    key: 'metoprolol-50',
    atc: 'C07AB02',
    name: 'Metoprolol 50 mg depottablett',
    form: 'Depottablett',
  },
  { key: 'furosemid-40', atc: 'C03CA01', name: 'Furosemid 40 mg tablett', form: 'Tablett' },
  { key: 'enalapril-5', atc: 'C09AA02', name: 'Enalapril 5 mg tablett', form: 'Tablett' },
  { key: 'atorvastatin-20', atc: 'C10AA05', name: 'Atorvastatin 20 mg tablett', form: 'Tablett' },
  { key: 'apixaban-25', atc: 'B01AF02', name: 'Eliquis 2,5 mg tablett', form: 'Tablett' },
  { key: 'warfarin-25', atc: 'B01AA03', name: 'Waran 2,5 mg tablett', form: 'Tablett' },
  {
    key: 'glargin',
    atc: 'A10AE04',
    name: 'Abasaglar 100 E/ml injektionsvätska (penna)',
    form: 'Injektionsvätska',
  },
  {
    key: 'aspart',
    atc: 'A10AB05',
    name: 'NovoRapid 100 E/ml injektionsvätska (penna)',
    form: 'Injektionsvätska',
  },
  { key: 'metformin-500', atc: 'A10BA02', name: 'Metformin 500 mg tablett', form: 'Tablett' },
  { key: 'donepezil-5', atc: 'N06DA02', name: 'Donepezil 5 mg tablett', form: 'Tablett' },
  { key: 'sertralin-50', atc: 'N06AB06', name: 'Sertralin 50 mg tablett', form: 'Tablett' },
  { key: 'mirtazapin-15', atc: 'N06AX11', name: 'Mirtazapin 15 mg tablett', form: 'Tablett' },
  { key: 'zopiklon-5', atc: 'N05CF01', name: 'Zopiklon 5 mg tablett', form: 'Tablett' },
  { key: 'oxazepam-5', atc: 'N05BA04', name: 'Oxascand 5 mg tablett', form: 'Tablett' },
  { key: 'oxikodon-5', atc: 'N02AA05', name: 'OxyNorm 5 mg kapsel', form: 'Kapsel' },
  {
    key: 'natriumpikosulfat',
    atc: 'A06AB08',
    name: 'Laxoberal 7,5 mg/ml orala droppar',
    form: 'Orala droppar',
  },
  {
    key: 'movicol',
    atc: 'A06AD65',
    name: 'Movicol pulver till oral lösning, dospåse',
    form: 'Dospåse',
  },
  {
    key: 'kalcium-d',
    atc: 'A12AX',
    name: 'Calcichew-D3 500 mg/400 IE tuggtablett',
    form: 'Tuggtablett',
  },
  { key: 'levotyroxin-50', atc: 'H03AA01', name: 'Levaxin 50 mikrogram tablett', form: 'Tablett' },
  {
    key: 'buprenorfin-plaster',
    atc: 'N02AE01',
    name: 'Norspan 10 mikrogram/timme depotplåster',
    form: 'Depotplåster',
  },
  {
    key: 'morfin-inj',
    atc: 'N02AA01',
    name: 'Morfin 10 mg/ml injektionsvätska',
    form: 'Injektionsvätska',
  },
  {
    key: 'midazolam-inj',
    atc: 'N05CD08',
    name: 'Midazolam 5 mg/ml injektionsvätska',
    form: 'Injektionsvätska',
  },
  {
    key: 'haloperidol-inj',
    atc: 'N05AD01',
    name: 'Haldol 5 mg/ml injektionsvätska',
    form: 'Injektionsvätska',
  },
  {
    key: 'glykopyrron-inj',
    atc: 'A03AB02',
    name: 'Robinul 0,2 mg/ml injektionsvätska',
    form: 'Injektionsvätska',
  },
] as const satisfies readonly MedicationItem[];

export type MedicationKey = (typeof MEDICATIONS)[number]['key'];

/** One administration time with its dose: the structured side of an order. */
export interface DoseTime {
  readonly time: string; // HH:MM
  readonly value: number;
  readonly unit: string;
  readonly ucum?: string;
}

export interface OrderTemplate {
  readonly medication: MedicationKey;
  /** The dosage text exactly as written on the medication list. */
  readonly text: string;
  readonly route: string;
  readonly doses?: readonly DoseTime[];
  /** Weekdays (FHIR codes) when the doses apply; all days when absent. */
  readonly days?: readonly string[];
  readonly prn?: {
    readonly reason: string;
    readonly dose: { readonly low: number; readonly high: number; readonly unit: string };
    /** Doses per day at most; the order's maximum amount is this times the highest dose. */
    readonly maxPerDay: number;
    readonly minIntervalHours: number;
  };
  readonly doseDispensable: boolean;
  /** Who gives it: a nurse, or care staff with a delegation. */
  readonly performer: 'nurse' | 'delegated';
  readonly kind: 'regular' | 'insulin' | 'warfarin' | 'prn' | 'palliative' | 'patch';
}

const tab = 'tablett';

export const ORDER_TEMPLATES: readonly OrderTemplate[] = [
  {
    medication: 'paracetamol-500',
    text: '2 tabletter 4 gånger dagligen (kl 08, 12, 17, 21)',
    route: 'Oral',
    doses: [
      { time: '08:00', value: 2, unit: tab },
      { time: '12:00', value: 2, unit: tab },
      { time: '17:00', value: 2, unit: tab },
      { time: '21:00', value: 2, unit: tab },
    ],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'omeprazol-20',
    text: '1 kapsel på morgonen',
    route: 'Oral',
    doses: [{ time: '08:00', value: 1, unit: 'kapsel' }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'metoprolol-50',
    text: '1 tablett på morgonen. Får ej krossas.',
    route: 'Oral',
    doses: [{ time: '08:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'furosemid-40',
    text: '1 tablett morgon. Vid vikt över 70 kg, kontakta sjuksköterska.',
    route: 'Oral',
    doses: [{ time: '08:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'enalapril-5',
    text: '1 tablett morgon och kväll',
    route: 'Oral',
    doses: [
      { time: '08:00', value: 1, unit: tab },
      { time: '20:00', value: 1, unit: tab },
    ],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'atorvastatin-20',
    text: '1 tablett till kvällen',
    route: 'Oral',
    doses: [{ time: '20:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'apixaban-25',
    text: '1 tablett morgon och kväll (blodförtunnande)',
    route: 'Oral',
    doses: [
      { time: '08:00', value: 1, unit: tab },
      { time: '20:00', value: 1, unit: tab },
    ],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'metformin-500',
    text: '1 tablett morgon och kväll i samband med måltid',
    route: 'Oral',
    doses: [
      { time: '08:00', value: 1, unit: tab },
      { time: '17:00', value: 1, unit: tab },
    ],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'donepezil-5',
    text: '1 tablett till kvällen',
    route: 'Oral',
    doses: [{ time: '20:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'sertralin-50',
    text: '1 tablett på morgonen',
    route: 'Oral',
    doses: [{ time: '08:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'mirtazapin-15',
    text: '1 tablett till natten',
    route: 'Oral',
    doses: [{ time: '21:00', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'movicol',
    text: '1 dospåse på morgonen, löses i 1,25 dl vatten',
    route: 'Oral',
    doses: [{ time: '08:00', value: 1, unit: 'dospåse' }],
    doseDispensable: false,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'kalcium-d',
    text: '1 tuggtablett morgon och kväll',
    route: 'Oral',
    doses: [
      { time: '08:00', value: 1, unit: 'tuggtablett' },
      { time: '20:00', value: 1, unit: 'tuggtablett' },
    ],
    doseDispensable: false,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'levotyroxin-50',
    text: '1 tablett på morgonen, fastande, 30 min före frukost',
    route: 'Oral',
    doses: [{ time: '06:30', value: 1, unit: tab }],
    doseDispensable: true,
    performer: 'delegated',
    kind: 'regular',
  },
  {
    medication: 'paracetamol-500',
    text: '1–2 tabletter vid behov vid smärta, högst 8 tabletter per dygn, minst 4 timmar mellan doserna',
    route: 'Oral',
    prn: {
      reason: 'smärta',
      dose: { low: 1, high: 2, unit: tab },
      maxPerDay: 4,
      minIntervalHours: 4,
    },
    doseDispensable: false,
    performer: 'delegated',
    kind: 'prn',
  },
  {
    medication: 'zopiklon-5',
    text: '1 tablett vid behov till natten vid sömnsvårigheter. Högst 1 tablett per natt.',
    route: 'Oral',
    prn: {
      reason: 'sömnsvårigheter',
      dose: { low: 1, high: 1, unit: tab },
      maxPerDay: 1,
      minIntervalHours: 24,
    },
    doseDispensable: false,
    performer: 'delegated',
    kind: 'prn',
  },
  {
    medication: 'oxazepam-5',
    text: '1 tablett vid behov vid oro, högst 3 tabletter per dygn, minst 4 tim mellan doserna',
    route: 'Oral',
    prn: { reason: 'oro', dose: { low: 1, high: 1, unit: tab }, maxPerDay: 3, minIntervalHours: 4 },
    doseDispensable: false,
    performer: 'delegated',
    kind: 'prn',
  },
  {
    medication: 'oxikodon-5',
    text: '1 kapsel vid behov vid genombrottssmärta, högst 4 kapslar per dygn, minst 4 timmar emellan. Kontakta ssk vid mer än 2 doser per dygn.',
    route: 'Oral',
    prn: {
      reason: 'genombrottssmärta',
      dose: { low: 1, high: 1, unit: 'kapsel' },
      maxPerDay: 4,
      minIntervalHours: 4,
    },
    doseDispensable: false,
    performer: 'nurse',
    kind: 'prn',
  },
  {
    medication: 'natriumpikosulfat',
    text: '10 droppar till kvällen vid behov vid förstoppning',
    route: 'Oral',
    prn: {
      reason: 'förstoppning',
      dose: { low: 10, high: 10, unit: 'droppar' },
      maxPerDay: 1,
      minIntervalHours: 24,
    },
    doseDispensable: false,
    performer: 'delegated',
    kind: 'prn',
  },
];

export const INSULIN_TEMPLATES: readonly OrderTemplate[] = [
  {
    medication: 'glargin',
    text: '14 E subkutant kl 21. Kontrollera blodsocker före.',
    route: 'Subkutan',
    doses: [{ time: '21:00', value: 14, unit: 'E', ucum: '[IU]' }],
    doseDispensable: false,
    performer: 'delegated',
    kind: 'insulin',
  },
  {
    medication: 'aspart',
    text: '6 E till frukost, 4 E till lunch, 6 E till middag. Vid blodsocker under 4: ge ej, kontakta sjuksköterska.',
    route: 'Subkutan',
    doses: [
      { time: '07:30', value: 6, unit: 'E', ucum: '[IU]' },
      { time: '12:00', value: 4, unit: 'E', ucum: '[IU]' },
      { time: '17:00', value: 6, unit: 'E', ucum: '[IU]' },
    ],
    doseDispensable: false,
    performer: 'delegated',
    kind: 'insulin',
  },
];

export const WARFARIN_TEMPLATE: OrderTemplate = {
  medication: 'warfarin-25',
  text: 'Dosering enligt AK-mottagningens ordinationsschema. Aktuell dos: 1 tablett (2,5 mg) mån–fre, ½ tablett (1,25 mg) lör–sön, kl 18. Nästa PK(INR) enligt schema.',
  route: 'Oral',
  doses: [{ time: '18:00', value: 1, unit: tab }],
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  doseDispensable: false,
  performer: 'nurse',
  kind: 'warfarin',
};

export const WARFARIN_WEEKEND: OrderTemplate = {
  ...WARFARIN_TEMPLATE,
  doses: [{ time: '18:00', value: 0.5, unit: tab }],
  days: ['sat', 'sun'],
};

export const PATCH_TEMPLATE: OrderTemplate = {
  medication: 'buprenorfin-plaster',
  text: '1 depotplåster (10 mikrog/timme) byts var 7:e dag, på måndagar kl 08. Notera plåstrets placering på signeringslistan.',
  route: 'Transdermal',
  doses: [{ time: '08:00', value: 1, unit: 'plåster' }],
  days: ['mon'],
  doseDispensable: false,
  performer: 'nurse',
  kind: 'patch',
};

/** Standing PRN injections for palliative care in the last days of life. */
export const PALLIATIVE_TEMPLATES: readonly OrderTemplate[] = [
  {
    medication: 'morfin-inj',
    text: '0,25 ml (2,5 mg) subkutant vid behov vid smärta eller andnöd. Kan upprepas efter 1 timme. Högst 6 doser per dygn, kontakta ssk/läkare därefter.',
    route: 'Subkutan',
    prn: {
      reason: 'smärta eller andnöd',
      dose: { low: 0.25, high: 0.25, unit: 'ml' },
      maxPerDay: 6,
      minIntervalHours: 1,
    },
    doseDispensable: false,
    performer: 'nurse',
    kind: 'palliative',
  },
  {
    medication: 'midazolam-inj',
    text: '0,25 ml (1,25 mg) subkutant vid behov vid ångest eller oro. Kan upprepas efter 30 minuter. Högst 6 doser per dygn.',
    route: 'Subkutan',
    prn: {
      reason: 'ångest eller oro',
      dose: { low: 0.25, high: 0.25, unit: 'ml' },
      maxPerDay: 6,
      minIntervalHours: 0.5,
    },
    doseDispensable: false,
    performer: 'nurse',
    kind: 'palliative',
  },
  {
    medication: 'haloperidol-inj',
    text: '0,2 ml (1 mg) subkutant vid behov vid illamående, högst 3 doser per dygn',
    route: 'Subkutan',
    prn: {
      reason: 'illamående',
      dose: { low: 0.2, high: 0.2, unit: 'ml' },
      maxPerDay: 3,
      minIntervalHours: 4,
    },
    doseDispensable: false,
    performer: 'nurse',
    kind: 'palliative',
  },
  {
    medication: 'glykopyrron-inj',
    text: '1 ml (0,2 mg) subkutant vid behov vid rosslig andning, högst 6 doser per dygn',
    route: 'Subkutan',
    prn: {
      reason: 'rosslig andning',
      dose: { low: 1, high: 1, unit: 'ml' },
      maxPerDay: 6,
      minIntervalHours: 4,
    },
    doseDispensable: false,
    performer: 'nurse',
    kind: 'palliative',
  },
];
