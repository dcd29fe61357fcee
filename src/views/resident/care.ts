/**
 * Care plans and the implementation plan (genomförandeplan), with their goals, and the services
 * granted (insatser). The plan's category tells social care (SoL) from nursing and
 * rehabilitation (HSL); the page groups and marks them by that.
 */
import { at, conceptText, str } from '../fhir-read.ts';
import { isResuscitationOrder, isTreatmentLimit } from './alerts.ts';
import {
  carePlanItem,
  goalItem,
  planInForce,
  type CarePlanItem,
  type CarePlanKind,
  type GoalItem,
} from './care-plan.ts';
import { isVoid, regimeOf, type ResidentResources } from './load.ts';

export interface ServiceItem {
  readonly id: string;
  readonly text: string;
  readonly regime: string | undefined;
  readonly since: string | undefined;
  readonly status: string | undefined;
}

export interface CareSection {
  readonly plans: CarePlanItem[];
  /** Goals in force that no plan in the copy refers to. */
  readonly otherGoals: GoalItem[];
  readonly services: ServiceItem[];
}

const KIND_ORDER: readonly CarePlanKind[] = ['social', 'nursing', 'rehab', 'other'];

export function goalsOf(res: ResidentResources): Map<string, GoalItem> {
  return new Map(
    res
      .byType('Goal')
      .filter(
        (g) =>
          !['cancelled', 'entered-in-error', 'rejected'].includes(
            str(at(g.json, 'lifecycleStatus')) ?? '',
          ),
      )
      .map((g) => [g.id, goalItem(g)]),
  );
}

export function careSection(
  res: ResidentResources,
  goalsById: ReadonlyMap<string, GoalItem>,
): CareSection {
  const plans = res
    .byType('CarePlan')
    .filter((p) => planInForce(p.json))
    .map((p) => carePlanItem(p, goalsById))
    .filter((p) => p.kind !== 'risk')
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        (b.since ?? '').localeCompare(a.since ?? ''),
    );
  const referenced = new Set(
    res.byType('CarePlan').flatMap((p) => carePlanItem(p, goalsById).goals.map((g) => g.id)),
  );
  const services = res
    .byType('ServiceRequest')
    .filter((r) => !isResuscitationOrder(r) && !isTreatmentLimit(r) && !isVoid(r.json))
    .filter((r) => ['active', 'on-hold', undefined].includes(str(at(r.json, 'status'))))
    .map((r): ServiceItem => ({
      id: r.id,
      text: conceptText(at(r.json, 'code')) ?? str(at(r.json, 'patientInstruction')) ?? '',
      regime: regimeOf(at(r.json, 'category')),
      since: str(at(r.json, 'authoredOn')) ?? str(at(r.json, 'occurrencePeriod', 'start')),
      status: str(at(r.json, 'status')),
    }))
    .sort(
      (a, b) =>
        (a.regime ?? '').localeCompare(b.regime ?? '') || a.text.localeCompare(b.text, 'sv'),
    );
  return {
    plans,
    otherGoals: [...goalsById.values()].filter((g) => !referenced.has(g.id)),
    services,
  };
}
