/**
 * Clinical and social content for synthetic residents: diagnoses (ICD-10-SE codes), allergies,
 * alerts, Senior Alert risk assessments with their measures, services, care-plan activities,
 * devices and notes. Written as municipal staff write them.
 */

export const CONDITIONS = [
  { code: 'F00.1', text: 'Alzheimers sjukdom med sen debut', tag: 'dementia' },
  { code: 'F01.9', text: 'Vaskulär demens, ospecificerad', tag: 'dementia' },
  { code: 'E11.9', text: 'Typ 2-diabetes utan komplikationer', tag: 'diabetes' },
  { code: 'I48.9', text: 'Förmaksflimmer, ospecificerat', tag: 'af' },
  { code: 'I50.9', text: 'Hjärtsvikt, ospecificerad', tag: 'heart' },
  { code: 'I10.9', text: 'Essentiell hypertoni', tag: 'heart' },
  { code: 'J44.9', text: 'Kroniskt obstruktiv lungsjukdom (KOL)', tag: 'lung' },
  { code: 'G20.9', text: 'Parkinsons sjukdom', tag: 'neuro' },
  { code: 'I69.4', text: 'Sequele efter stroke', tag: 'neuro' },
  { code: 'M81.9', text: 'Osteoporos utan patologisk fraktur', tag: 'bone' },
  { code: 'S72.0', text: 'Collumfraktur (höftfraktur), opererad', tag: 'bone' },
  { code: 'F32.9', text: 'Depressiv episod', tag: 'psych' },
  { code: 'E03.9', text: 'Hypotyreos', tag: 'thyroid' },
  { code: 'N39.0', text: 'Återkommande urinvägsinfektion', tag: 'uti' },
  { code: 'C61.9', text: 'Prostatacancer med skelettmetastaser', tag: 'cancer' },
] as const;

export const PALLIATIVE_CONDITION = { code: 'Z51.5', text: 'Palliativ vård i livets slutskede' };

export const ALLERGIES = [
  {
    text: 'Penicillin',
    category: 'medication',
    reaction: 'Urtikaria och andningsbesvär',
    criticality: 'high',
  },
  { text: 'Sulfonamider', category: 'medication', reaction: 'Utslag', criticality: 'low' },
  {
    text: 'Acetylsalicylsyra (ASA)',
    category: 'medication',
    reaction: 'Astmaanfall',
    criticality: 'high',
  },
  {
    text: 'Jordnötter',
    category: 'food',
    reaction: 'Svullnad i läppar och svalg',
    criticality: 'high',
  },
  {
    text: 'Plåster (latex)',
    category: 'environment',
    reaction: 'Kontakteksem',
    criticality: 'low',
  },
  {
    text: 'Kodein',
    category: 'medication',
    reaction: 'Kraftigt illamående och förvirring',
    criticality: 'low',
  },
  { text: 'Skaldjur', category: 'food', reaction: 'Kräkningar', criticality: 'low' },
] as const;

export const ALERTS = [
  {
    code: 'MRSA',
    text: 'MRSA – bärare. Basala hygienrutiner, eget rum, skyddsförkläde vid nära vård.',
    category: 'clinical',
    p: 0.02,
  },
  {
    code: 'ESBL',
    text: 'ESBL-bildande tarmbakterier i urin. Basala hygienrutiner.',
    category: 'clinical',
    p: 0.04,
  },
  {
    code: 'CHOKING',
    text: 'Sväljsvårigheter – risk för kvävning. Konsistensanpassad kost, sitta upprätt vid måltid.',
    category: 'safety',
    p: 0.1,
  },
  {
    code: 'THREAT',
    text: 'Risk för hot och våld vid stress, särskilt vid nattlig omvårdnad. Två personal vid besök nattetid.',
    category: 'behavioral',
    p: 0.03,
  },
  { code: 'FALL', text: 'Hög fallrisk. Se åtgärder i riskbedömning.', category: 'safety', p: 0.08 },
] as const;

export const RISKS = [
  {
    key: 'fall',
    code: 'Riskbedömning fall (Downton Fall Risk Index)',
    outcome: 'Fall',
    measures: [
      'Höftskyddsbyxor dygnet runt',
      'Sänkt säng och rörelselarm nattetid',
      'Rollator inom räckhåll, halkfria tofflor',
      'Tillsyn var 2:a timme nattetid',
    ],
  },
  {
    key: 'pressure',
    code: 'Riskbedömning trycksår (Modifierad Norton)',
    outcome: 'Trycksår',
    measures: [
      'Vändschema var 3:e timme nattetid (vänster sida – rygg – höger sida)',
      'Luftmadrass, kontrollera funktion dagligen',
      'Inspektion av hälar och sacrum vid varje omvårdnadstillfälle',
      'Hälavlastning med kudde under vaderna',
    ],
  },
  {
    key: 'nutrition',
    code: 'Riskbedömning undernäring (MNA-SF)',
    outcome: 'Undernäring',
    measures: [
      'Energiberikad kost och mellanmål kl 10, 15 och 21',
      'Vikt varje vecka, onsdagar',
      'Näringsdryck 1 flaska mellan måltiderna',
      'Matregistrering 3 dygn',
    ],
  },
  {
    key: 'oral',
    code: 'Bedömning munhälsa (ROAG-J)',
    outcome: 'Ohälsa i munnen',
    measures: [
      'Tandborstning med extra fluortandkräm morgon och kväll',
      'Fukta munnen med munspray vid behov',
    ],
  },
] as const;

export const SERVICES_HOME_CARE = [
  'Hjälp med personlig hygien morgon och kväll',
  'Tillsyn nattetid',
  'Hjälp vid måltider (frukost, lunch, middag)',
  'Matdistribution',
  'Inköp en gång per vecka',
  'Städning varannan vecka',
  'Promenad/utevistelse en gång per vecka',
  'Trygghetslarm',
  'Läkemedelshantering enligt delegering',
  'Dusch en gång per vecka',
] as const;

export const SERVICES_NURSING_HOME = [
  'Särskilt boende: heldygnsomsorg',
  'Hjälp med personlig hygien',
  'Hjälp vid förflyttning',
  'Tillsyn nattetid',
] as const;

export const CARE_ACTIVITIES_SOL = [
  'Morgon: väcks kl 07.30, vill duscha tisdagar och fredagar, önskar kvinnlig personal vid dusch.',
  'Tycker om att lyssna på radio (P4) på förmiddagen och läsa lokaltidningen.',
  'Vill ha kaffe med mjölk och en kaka kl 15.',
  'Kvällsrutin: vill gå och lägga sig efter Rapport kl 19.30, dörren på glänt.',
  'Dottern ringer söndagar kl 18; hjälp att svara i telefonen.',
  'Vill själv välja kläder; lägg fram två alternativ.',
  'Promenad till brevlådan med rollator när vädret tillåter.',
] as const;

export const CARE_ACTIVITIES_HSL = [
  'Sårbehandling vänster underben: omläggning måndag, onsdag, fredag enligt ordination.',
  'Kontroll av blodtryck en gång per vecka.',
  'Vätskelista vid feber eller minskat intag.',
  'Kateterskötsel: byte av påse varje vecka, kateterbyte var 6:e vecka.',
  'Munvård morgon och kväll, inspektera munslemhinnan.',
  'Gångträning med fysioterapeutens program, två gånger dagligen.',
] as const;

export const NOTES_SOL = [
  'Har sovit gott under natten. Tillsyn kl 23, 02 och 05, sov vid samtliga tillfällen.',
  'Hjälp med dusch på förmiddagen. Var på gott humör och pratade om barnbarnen.',
  'Åt halva portionen till lunch, tackade nej till efterrätt. Drack två glas saft.',
  'Orolig på kvällen och frågade efter sin man. Satt med en stund i dagrummet, lugnade sig efter kvällsfika.',
  'Besök av dottern på eftermiddagen. Gick en kort promenad tillsammans med rollator.',
  'Ville inte stiga upp på morgonen, fick frukost på sängen. Uppe vid lunch.',
  'Ringde på larmet tre gånger under natten, behövde hjälp till toaletten.',
] as const;

export const NOTES_HSL = [
  'Blodsocker 14,2 mmol/l kl 21. Gav 14 E Abasaglar enligt ordination. Ny kontroll i morgon fastande.',
  'Rodnad över sacrum, ej trycksår. Ökat vändschema nattetid till var 2:a timme. Följs upp i morgon.',
  'Feber 38,4 och ökad förvirring. Urinsticka positiv för nitrit. Kontakt med vårdcentralen, odling tagen.',
  'Omläggning av sår vänster underben. Sårkanter fina, sparsam vätska. Fortsätter enligt plan.',
  'Vikt 58,2 kg, minskat 1,4 kg på en månad. Näringsdryck insatt efter samråd med dietist.',
  'Har haft ont i höger höft, fått Alvedon vid behov kl 14 med god effekt efter en timme.',
  'Anhöriga informerade om förändrat tillstånd. Brytpunktssamtal bokat med läkare på torsdag.',
] as const;

export const DEVICES = [
  {
    text: 'Taklyft med lyftsele storlek M. Två personal vid förflyttning.',
    kind: 'lift',
    p: 0.25,
    homeCare: false,
  },
  {
    text: 'Trygghetslarm (armband), larmet går till hemtjänstens nattpatrull.',
    kind: 'alarm',
    p: 0.75,
    homeCare: true,
  },
  { text: 'Rollator, används inomhus och utomhus.', kind: 'walker', p: 0.4, homeCare: true },
  {
    text: 'Syrgaskoncentrator 2 l/min dygnet runt. Får ej användas nära öppen eld.',
    kind: 'oxygen',
    p: 0.05,
    homeCare: true,
  },
  { text: 'Rörelselarm (larmmatta) vid sängen nattetid.', kind: 'sensor', p: 0.2, homeCare: false },
] as const;

export const DIETS = [
  {
    type: 'Konsistensanpassad kost – timbal',
    texture: 'Timbal',
    fluid: 'Förtjockad dryck (nektarkonsistens)',
  },
  { type: 'Konsistensanpassad kost – grov paté', texture: 'Grov paté', fluid: undefined },
  { type: 'Energi- och proteinrik kost (E-kost)', texture: undefined, fluid: undefined },
  { type: 'Diabeteskost', texture: undefined, fluid: undefined },
] as const;

export const RELATIONS = [
  { code: 'DAU', text: 'Dotter' },
  { code: 'SON', text: 'Son' },
  { code: 'WIFE', text: 'Maka' },
  { code: 'HUSB', text: 'Make' },
  { code: 'NIECE', text: 'Systerdotter' },
  { code: 'SIS', text: 'Syster' },
  { code: 'FRND', text: 'Granne och vän' },
] as const;

export const LANGUAGES = [
  { code: 'fi', text: 'finska' },
  { code: 'ar', text: 'arabiska' },
  { code: 'bs', text: 'bosniska' },
  { code: 'fa', text: 'persiska' },
] as const;

export const RESUSCITATION_REASONS = [
  'Bedömt att hjärt-lungräddning inte skulle kunna leda till fortsatt liv av godtagbar kvalitet med hänsyn till grundsjukdomarna. Samråd med patienten och närstående.',
  'Patienten har själv uttryckt att hen inte vill bli återupplivad. Beslutet är informerat till närstående.',
  'Svår hjärtsvikt och demens i sent skede; HLR bedöms medicinskt utsiktslöst.',
] as const;

export const KEY_INFO = [
  'Nyckel i nyckelgömma till vänster om entrédörren. Digitalt lås, lås-id {lock}.',
  'Digitalt lås på lägenhetsdörren (lås-id {lock}). Portkod {code}.',
  'Nyckel hos grannen i lgh 1102 vid strömavbrott. Digitalt lås lås-id {lock}, portkod {code}.',
] as const;
