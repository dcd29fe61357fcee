/**
 * Care content for one synthetic person: diagnoses, allergies and alerts, the resuscitation
 * decision, risk assessments and measures, care plans, services and visits, devices, diet,
 * observations, notes and key information. Medication is in person-medication.ts.
 */
import { EXTENSIONS, SYSTEMS } from '../core/fhir-systems.ts';
import {
  ALERTS,
  ALLERGIES,
  CARE_ACTIVITIES_HSL,
  CARE_ACTIVITIES_SOL,
  CONDITIONS,
  DEVICES,
  DIETS,
  KEY_INFO,
  NOTES_HSL,
  NOTES_SOL,
  PALLIATIVE_CONDITION,
  RESUSCITATION_REASONS,
  RISKS,
  SERVICES_HOME_CARE,
  SERVICES_NURSING_HOME,
} from './catalog/clinical.ts';
import type { Emit } from './municipality.ts';
import type { Rng } from './random.ts';
import { addDays, localInstant, localInstantPlus, stockholmDate } from './time.ts';

export interface CareContext {
  readonly rng: Rng;
  readonly patientId: string;
  readonly index: number;
  readonly asOf: Date;
  readonly unit: string;
  readonly homeCare: boolean;
  readonly isProtected: boolean;
  readonly physician: { id: string; name: string };
  readonly nurseId: string;
  readonly staffIds: readonly string[];
  readonly edge: { readonly htmlNote: boolean; readonly longNote: boolean };
}

export interface CareFacts {
  diabetic: boolean;
  anticoagulated: boolean;
  palliative: boolean;
}

const regime = (code: 'SoL' | 'HSL') => ({
  coding: [{ system: SYSTEMS.regime, code }],
  text: code === 'SoL' ? 'Social dokumentation (SoL)' : 'Hälso- och sjukvård (HSL)',
});

export const HTML_NOTE =
  'Anhörig lämnade en lapp: <b>Ring mig</b> innan kl 20 <script>window.__xss = 1</script>' +
  '<img src="x" onerror="window.__xss = 2"> & glöm inte "glasögonen" i fönstret.';

function longNote(): string {
  const parts: string[] = [];
  for (let k = 1; parts.join(' ').length < 24_000; k++) {
    parts.push(
      `(${k}) Nattpersonalen noterar att brukaren vaknade och var orolig, fick hjälp till toaletten och dryck; ` +
        'åter till sängen efter en stund med lugnande samtal. Vändning enligt schema utfördes, huden hel.',
    );
  }
  return parts.join(' ');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function emitCare(ctx: CareContext, emit: Emit): CareFacts {
  const { rng, patientId, asOf } = ctx;
  const subject = { reference: `Patient/${patientId}` };
  const today = stockholmDate(asOf);
  const daysAgo = (n: number) => addDays(today, -n);

  // Diagnoses.
  const conditions = rng.sample(CONDITIONS, rng.int(1, 4));
  const palliative = !ctx.homeCare ? rng.chance(0.08) : rng.chance(0.02);
  const diabetic = conditions.some((c) => c.tag === 'diabetes');
  const anticoagulated = conditions.some((c) => c.tag === 'af') && rng.chance(0.5);
  const conditionRows: { code: string; text: string }[] = conditions.map((c) => ({
    code: c.code,
    text: c.text,
  }));
  if (palliative) conditionRows.push(PALLIATIVE_CONDITION);
  for (const c of conditionRows) {
    emit({
      resourceType: 'Condition',
      id: rng.uuid(),
      clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active' }] },
      category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item' }] }],
      code: { coding: [{ system: SYSTEMS.icd10se, code: c.code }], text: c.text },
      subject,
      recordedDate: daysAgo(rng.int(10, 2000)),
    });
  }

  // Allergies, each also surfaced as an alert.
  const allergies = rng.chance(0.35) ? rng.sample(ALLERGIES, rng.int(1, 2)) : [];
  for (const a of allergies) {
    emit({
      resourceType: 'AllergyIntolerance',
      id: rng.uuid(),
      clinicalStatus: { coding: [{ system: SYSTEMS.allergyClinical, code: 'active' }] },
      verificationStatus: { coding: [{ system: SYSTEMS.allergyVerification, code: 'confirmed' }] },
      type: 'allergy',
      category: [a.category],
      criticality: a.criticality,
      code: { text: a.text },
      patient: subject,
      recordedDate: daysAgo(rng.int(100, 3000)),
      reaction: [{ manifestation: [{ text: a.reaction }] }],
    });
  }
  const flag = (code: string, text: string, category: string, start: string) =>
    emit({
      resourceType: 'Flag',
      id: rng.uuid(),
      status: 'active',
      category: [{ coding: [{ system: SYSTEMS.flagCategory, code: category }] }],
      code: { coding: [{ system: SYSTEMS.alert, code }], text },
      subject,
      period: { start },
    });
  for (const a of allergies)
    flag('ALLERGY', `Överkänslighet: ${a.text}`, 'clinical', daysAgo(rng.int(100, 900)));
  for (const alert of ALERTS) {
    if (rng.chance(alert.p)) flag(alert.code, alert.text, alert.category, daysAgo(rng.int(5, 600)));
  }
  if (palliative)
    flag(
      'PALLIATIVE',
      'Palliativ vård i livets slutskede. Brytpunktssamtal genomfört.',
      'clinical',
      daysAgo(rng.int(2, 40)),
    );
  if (ctx.isProtected)
    flag(
      'PROTECTED',
      'Skyddad identitet: adress och vistelseort får inte lämnas ut.',
      'admin',
      daysAgo(rng.int(100, 900)),
    );

  // Resuscitation decision: always with the deciding physician, the date and a review date.
  if (palliative || rng.chance(ctx.homeCare ? 0.1 : 0.35)) {
    const decided = daysAgo(rng.int(3, 300));
    emit({
      resourceType: 'ServiceRequest',
      id: rng.uuid(),
      extension: [{ url: EXTENSIONS.reviewDate, valueDate: addDays(decided, 365) }],
      status: 'active',
      intent: 'order',
      category: [regime('HSL')],
      doNotPerform: true,
      code: {
        coding: [{ system: SYSTEMS.snomed, code: '89666000' }],
        text: 'Hjärt-lungräddning (HLR)',
      },
      subject,
      authoredOn: decided,
      requester: { reference: `Practitioner/${ctx.physician.id}`, display: ctx.physician.name },
      reasonCode: [{ text: rng.pick(RESUSCITATION_REASONS) }],
    });
    flag(
      'DNR',
      `Ställningstagande: ej hjärt-lungräddning (beslut ${decided})`,
      'clinical',
      decided,
    );
  }

  // Senior Alert risk assessments with their measures.
  for (const risk of RISKS) {
    if (!rng.chance(0.45)) continue;
    const level = rng.pick(['low', 'moderate', 'high'] as const);
    emit({
      resourceType: 'RiskAssessment',
      id: rng.uuid(),
      status: 'final',
      code: { text: risk.code },
      subject,
      occurrenceDateTime: daysAgo(rng.int(5, 120)),
      performer: { reference: `Practitioner/${ctx.nurseId}` },
      prediction: [
        {
          outcome: { text: risk.outcome },
          qualitativeRisk: { coding: [{ system: SYSTEMS.riskProbability, code: level }] },
        },
      ],
      mitigation: rng.sample(risk.measures, rng.int(1, risk.measures.length)).join('. ') + '.',
    });
  }

  // Care plans: the social-care implementation plan and a nursing plan.
  const plan = (kind: string, title: string, reg: 'SoL' | 'HSL', activities: readonly string[]) =>
    emit({
      resourceType: 'CarePlan',
      id: rng.uuid(),
      status: 'active',
      intent: 'plan',
      category: [
        regime(reg),
        { coding: [{ system: SYSTEMS.carePlanKind, code: kind }], text: title },
      ],
      title,
      subject,
      period: { start: daysAgo(rng.int(20, 500)) },
      activity: activities.map((description) => ({
        detail: { status: 'in-progress', description },
      })),
    });
  plan(
    'genomforandeplan',
    'Genomförandeplan',
    'SoL',
    rng.sample(CARE_ACTIVITIES_SOL, rng.int(2, 4)),
  );
  if (rng.chance(0.6))
    plan('omvardnadsplan', 'Omvårdnadsplan', 'HSL', rng.sample(CARE_ACTIVITIES_HSL, rng.int(1, 3)));

  // Services (insatser) granted under SoL.
  const services = ctx.homeCare
    ? rng.sample(SERVICES_HOME_CARE, rng.int(2, 5))
    : rng.sample(SERVICES_NURSING_HOME, rng.int(1, 3));
  for (const s of services) {
    emit({
      resourceType: 'ServiceRequest',
      id: rng.uuid(),
      status: 'active',
      intent: 'order',
      category: [regime('SoL')],
      code: { text: s },
      subject,
      authoredOn: daysAgo(rng.int(30, 900)),
    });
  }

  // Observations: weight for everyone, glucose and INR where relevant.
  const obs = (
    loinc: string,
    text: string,
    category: string,
    value: number,
    unit: string,
    code: string,
    when: string,
  ) =>
    emit({
      resourceType: 'Observation',
      id: rng.uuid(),
      status: 'final',
      category: [{ coding: [{ system: SYSTEMS.observationCategory, code: category }] }],
      code: { coding: [{ system: SYSTEMS.loinc, code: loinc }], text },
      subject,
      effectiveDateTime: when,
      valueQuantity: { value, unit, system: SYSTEMS.ucum, code },
    });
  const weight = rng.int(420, 950) / 10;
  obs(
    '29463-7',
    'Vikt',
    'vital-signs',
    weight,
    'kg',
    'kg',
    localInstant(daysAgo(rng.int(1, 30)), '08:15'),
  );
  if (diabetic) {
    for (let k = 0; k < 3; k++) {
      obs(
        '15074-8',
        'P-Glukos',
        'laboratory',
        rng.int(38, 180) / 10,
        'mmol/l',
        'mmol/L',
        localInstant(daysAgo(k), rng.pick(['07:20', '11:45', '20:50'])),
      );
    }
  }
  if (anticoagulated) {
    for (let k = 0; k < 2; k++) {
      obs(
        '6301-6',
        'PK(INR)',
        'laboratory',
        rng.int(17, 34) / 10,
        'INR',
        '{INR}',
        localInstant(daysAgo(3 + k * 7), '09:00'),
      );
    }
  }

  // Devices and the safety alarm.
  for (const d of DEVICES) {
    if ((ctx.homeCare ? d.homeCare : true) && rng.chance(d.p)) {
      const deviceId = rng.uuid();
      emit({
        resourceType: 'Device',
        id: deviceId,
        status: 'active',
        deviceName: [{ name: d.text.split('.')[0]!, type: 'user-friendly-name' }],
        type: { text: d.kind },
        patient: subject,
        note: [{ text: d.text }],
      });
      emit({
        resourceType: 'DeviceUseStatement',
        id: rng.uuid(),
        status: 'active',
        subject,
        device: { reference: `Device/${deviceId}` },
        note: [{ text: d.text }],
      });
    }
  }

  // Diet.
  if (rng.chance(0.2)) {
    const diet = rng.pick(DIETS);
    emit({
      resourceType: 'NutritionOrder',
      id: rng.uuid(),
      status: 'active',
      intent: 'order',
      patient: subject,
      dateTime: daysAgo(rng.int(10, 200)),
      oralDiet: {
        type: [{ text: diet.type }],
        ...(diet.texture ? { texture: [{ modifier: { text: diet.texture } }] } : {}),
        ...(diet.fluid ? { fluidConsistencyType: [{ text: diet.fluid }] } : {}),
      },
    });
  }

  // Home-care visits for the next 72 hours.
  if (ctx.homeCare) {
    const doubleStaffed = rng.chance(0.15);
    const slots: [string, number, string][] = [
      ['07:30', 45, 'Morgonbesök: personlig hygien, frukost, läkemedel'],
    ];
    if (rng.chance(0.6)) slots.push(['12:00', 30, 'Lunch och läkemedel']);
    if (rng.chance(0.7)) slots.push(['18:00', 30, 'Kvällsbesök: middag, läkemedel']);
    if (rng.chance(0.4)) slots.push(['22:30', 20, 'Tillsyn och hjälp i säng']);
    if (rng.chance(0.15)) slots.push(['02:00', 15, 'Nattlig tillsyn']);
    const horizon = asOf.getTime() + 72 * 3600_000;
    for (let day = 0; day <= 3; day++) {
      const date = addDays(today, day);
      for (const [time, minutes, text] of slots) {
        const start = localInstant(date, time);
        const startMs = new Date(start).getTime();
        if (startMs <= asOf.getTime() || startMs > horizon) continue;
        const staff = doubleStaffed ? rng.sample(ctx.staffIds, 2) : [rng.pick(ctx.staffIds)];
        emit({
          resourceType: 'Appointment',
          id: rng.uuid(),
          status: 'booked',
          serviceType: [{ text: text.split(':')[0]! }],
          description: doubleStaffed ? `${text}. Dubbelbemanning.` : text,
          start,
          end: localInstantPlus(date, time, minutes),
          minutesDuration: minutes,
          participant: [
            { actor: subject, status: 'accepted' },
            ...staff.map((s) => ({
              actor: { reference: `Practitioner/${s}` },
              status: 'accepted',
            })),
          ],
        });
      }
    }
  }

  // Notes from the last seven days.
  const noteCount = rng.int(2, 6);
  for (let k = 0; k < noteCount; k++) {
    const hsl = rng.chance(0.4);
    let text: string = rng.pick(hsl ? NOTES_HSL : NOTES_SOL);
    if (k === 0 && ctx.edge.htmlNote) text = HTML_NOTE;
    if (k === 0 && ctx.edge.longNote) text = longNote();
    const when = new Date(asOf.getTime() - rng.int(1, 7 * 24 * 60) * 60_000);
    emit({
      resourceType: 'DocumentReference',
      id: rng.uuid(),
      status: 'current',
      type: { text: 'Journalanteckning' },
      category: [regime(hsl ? 'HSL' : 'SoL')],
      subject,
      date: when.toISOString(),
      author: [{ reference: `Practitioner/${hsl ? ctx.nurseId : rng.pick(ctx.staffIds)}` }],
      custodian: { reference: `Organization/${ctx.unit}` },
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text) } }],
    });
  }

  // Key and door information for home-care clients: highly sensitive, under its own label.
  if (ctx.homeCare) {
    const info = rng
      .pick(KEY_INFO)
      .replace('{lock}', String(rng.int(1000, 9999)))
      .replace('{code}', String(rng.int(1000, 9999)));
    emit({
      resourceType: 'Basic',
      id: rng.uuid(),
      meta: {
        security: [{ system: SYSTEMS.confidentiality, code: 'V', display: 'very restricted' }],
      },
      extension: [{ url: EXTENSIONS.keyAccess, valueString: info }],
      code: {
        coding: [{ system: SYSTEMS.basicKind, code: 'key-access' }],
        text: 'Nyckel- och dörrinformation',
      },
      subject,
      created: daysAgo(rng.int(10, 400)),
    });
  }
  return { diabetic, anticoagulated, palliative };
}
