/**
 * Reading CarePlan and Goal resources: what kind of plan it is (social, nursing, rehabilitation,
 * or Senior Alert risk measures), its activities and its goals. Shared by the risk section
 * (measures) and the care-plan section (genomförandeplan, omvårdnadsplan, rehabplan).
 */
import type { ExactJson } from '../../core/exact-json.ts';
import { at, conceptText, list, obj, refId, str, type Node } from '../fhir-read.ts';
import { codeFrom, conceptTexts, noteTexts, regimeOf, type LoadedResource } from './load.ts';

export type CarePlanKind = 'social' | 'nursing' | 'rehab' | 'risk' | 'other';

export interface GoalItem {
  readonly id: string;
  readonly text: string;
  readonly status: string | undefined;
  readonly due: string | undefined;
}

export interface CarePlanActivity {
  readonly text: string;
  readonly status: string | undefined;
  /** When, as written (scheduledString) or the start of a scheduled period. */
  readonly when: string | undefined;
}

export interface CarePlanItem {
  readonly id: string;
  readonly kind: CarePlanKind;
  /** The plan's title, else its kind as the source names it. */
  readonly title: string | undefined;
  /** SoL or HSL when the record carries its regime. */
  readonly regime: string | undefined;
  readonly status: string | undefined;
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly description: string | undefined;
  readonly activities: CarePlanActivity[];
  readonly goals: GoalItem[];
  /** RiskAssessment ids this plan is the measures for (Senior Alert). */
  readonly forRisks: string[];
}

const SOCIAL = /genomf[öo]randeplan|social|sol\b/i;
const REHAB = /rehab|fysioterap|arbetsterap|physiotherap|occupational/i;
const NURSING = /omv[åa]rdnad|nursing|hsl\b|sjuksk[öo]t/i;
const RISK = /senior ?alert|risk|[åa]tg[äa]rd|prevent/i;

/** The plan's kind from its category: the local care-plan-kind code first, then words. */
export function carePlanKind(plan: ExactJson): CarePlanKind {
  const categories = list(at(plan, 'category'));
  const kindCode = categories.map((c) => codeFrom(c, '/care-plan-kind')).find(Boolean);
  const words = [
    kindCode ?? '',
    ...categories.map((c) => conceptText(c) ?? ''),
    ...categories.flatMap((c) => list(obj(c)?.coding).map((x) => str(at(x, 'code')) ?? '')),
  ].join(' ');
  if (RISK.test(kindCode ?? '') || /senior ?alert/i.test(words)) return 'risk';
  if (SOCIAL.test(kindCode ?? '')) return 'social';
  if (REHAB.test(words)) return 'rehab';
  if (NURSING.test(kindCode ?? '')) return 'nursing';
  const regime = regimeOf(categories);
  if (regime === 'SoL') return 'social';
  if (regime === 'HSL') return 'nursing';
  if (RISK.test(words)) return 'risk';
  if (SOCIAL.test(words)) return 'social';
  if (NURSING.test(words)) return 'nursing';
  return 'other';
}

function activityOf(a: Node): CarePlanActivity | undefined {
  const detail = at(a, 'detail');
  const text =
    str(at(detail, 'description')) ??
    conceptText(at(detail, 'code')) ??
    str(at(a, 'reference', 'display')) ??
    noteTexts(at(a, 'progress'));
  if (!text) return undefined;
  return {
    text,
    status: str(at(detail, 'status')),
    when: str(at(detail, 'scheduledString')) ?? str(at(detail, 'scheduledPeriod', 'start')),
  };
}

export function goalItem(g: LoadedResource): GoalItem {
  return {
    id: g.id,
    text: conceptText(at(g.json, 'description')) ?? conceptTexts(at(g.json, 'category')) ?? '',
    status: str(at(g.json, 'achievementStatus', 'text')) ?? str(at(g.json, 'lifecycleStatus')),
    due: str(at(list(at(g.json, 'target'))[0], 'dueDate')) ?? str(at(g.json, 'startDate')),
  };
}

export function carePlanItem(
  plan: LoadedResource,
  goalsById: ReadonlyMap<string, GoalItem>,
): CarePlanItem {
  const j = plan.json;
  const forRisks = [
    ...list(at(j, 'supportingInfo')),
    ...list(at(j, 'addresses')),
    ...list(at(j, 'basedOn')),
  ]
    .map((ref) => refId(ref, 'RiskAssessment'))
    .filter((id): id is string => id !== undefined);
  const categories = list(at(j, 'category'));
  const kindText = categories
    .filter((c) => regimeOf([c]) === undefined)
    .map((c) => conceptText(c))
    .find(Boolean);
  return {
    id: plan.id,
    kind: forRisks.length > 0 ? 'risk' : carePlanKind(j),
    title: str(at(j, 'title')) ?? kindText,
    regime: regimeOf(categories),
    status: str(at(j, 'status')),
    since: str(at(j, 'period', 'start')) ?? str(at(j, 'created')),
    until: str(at(j, 'period', 'end')),
    description: str(at(j, 'description')) ?? noteTexts(at(j, 'note')),
    activities: list(at(j, 'activity'))
      .map(activityOf)
      .filter((x): x is CarePlanActivity => x !== undefined),
    goals: list(at(j, 'goal'))
      .map((ref) => refId(ref, 'Goal'))
      .map((id) => (id ? goalsById.get(id) : undefined))
      .filter((g): g is GoalItem => g !== undefined),
    forRisks,
  };
}

/** Plans that are in force: not finished, revoked, or entered in error. */
export function planInForce(plan: ExactJson): boolean {
  const status = str(at(plan, 'status'));
  return status === undefined || status === 'active' || status === 'on-hold';
}
