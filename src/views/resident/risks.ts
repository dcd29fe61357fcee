/**
 * Risks and their measures (Senior Alert: falls, pressure ulcers, malnutrition, oral health,
 * bladder). The measures matter most (domain brief §3, item 8): a turning schedule or hip
 * protectors are what the night shift must do. Measures come from the assessment itself
 * (RiskAssessment.mitigation, verbatim) and from CarePlans that are the measures for a risk —
 * linked to the assessment by reference, or categorised as Senior Alert / risk prevention.
 */
import { at, code, conceptText, list, str } from '../fhir-read.ts';
import { carePlanItem, planInForce, type CarePlanItem, type GoalItem } from './care-plan.ts';
import { isVoid, noteTexts, type ResidentResources } from './load.ts';

export interface RiskItem {
  readonly id: string;
  /** The assessment (instrument) as written, e.g. "Riskbedömning fall (Downton)". */
  readonly title: string;
  /** What is at risk, e.g. "Fall". */
  readonly outcome: string | undefined;
  /** risk-probability code (low, moderate, high, certain, negligible) when coded. */
  readonly level: string | undefined;
  /** The level as written when it is not coded. */
  readonly levelText: string | undefined;
  readonly date: string | undefined;
  /** RiskAssessment.mitigation, verbatim. */
  readonly mitigation: string | undefined;
  /** Care plans that are the measures for this assessment. */
  readonly plans: CarePlanItem[];
}

export interface RiskSection {
  readonly risks: RiskItem[];
  /** Senior Alert measure plans not linked to one assessment. */
  readonly measurePlans: CarePlanItem[];
}

const LEVEL_ORDER = ['certain', 'high', 'moderate', 'low', 'negligible'];

export function riskSection(
  res: ResidentResources,
  goalsById: ReadonlyMap<string, GoalItem>,
): RiskSection {
  const plans = res
    .byType('CarePlan')
    .filter((p) => planInForce(p.json))
    .map((p) => carePlanItem(p, goalsById))
    .filter((p) => p.kind === 'risk');
  const assessments = res
    .byType('RiskAssessment')
    .filter((r) => !isVoid(r.json))
    .map((r): RiskItem => {
      const prediction = list(at(r.json, 'prediction'))[0];
      return {
        id: r.id,
        title:
          conceptText(at(r.json, 'code')) ?? conceptText(at(r.json, 'method')) ?? 'RiskAssessment',
        outcome: conceptText(at(prediction, 'outcome')),
        level: code(at(prediction, 'qualitativeRisk')),
        levelText: str(at(prediction, 'qualitativeRisk', 'text')),
        date: str(at(r.json, 'occurrenceDateTime')) ?? str(at(r.json, 'occurrencePeriod', 'start')),
        mitigation: str(at(r.json, 'mitigation')) ?? noteTexts(at(r.json, 'note')),
        plans: plans.filter((p) => p.forRisks.includes(r.id)),
      };
    });
  // The newest assessment per instrument: older ones are history, not tonight's measures.
  const newest = new Map<string, RiskItem>();
  for (const r of assessments) {
    const prev = newest.get(r.title);
    if (!prev || (r.date ?? '') > (prev.date ?? '')) newest.set(r.title, r);
  }
  const linked = new Set([...newest.values()].flatMap((r) => r.plans.map((p) => p.id)));
  const rank = (r: RiskItem) => {
    const i = LEVEL_ORDER.indexOf(r.level ?? '');
    return i === -1 ? LEVEL_ORDER.length : i;
  };
  return {
    risks: [...newest.values()].sort(
      (a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title, 'sv'),
    ),
    measurePlans: plans.filter((p) => !linked.has(p.id)),
  };
}
