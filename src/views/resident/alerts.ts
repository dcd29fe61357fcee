/**
 * What must be seen before anything else: alerts and allergies, the resuscitation decision and
 * palliative status (domain brief §3, items 3 and 4).
 *
 * A resuscitation decision is shown only with its date: without a documented, dated decision,
 * resuscitation is the default, so a decision whose date is missing from the copy is carried as
 * `dated: false` and the page says it cannot be followed instead of showing "do not resuscitate".
 */
import { at, bool, code, conceptText, extension, list, str } from '../fhir-read.ts';
import { isVoid, type LoadedResource, type ResidentResources } from './load.ts';

export interface AlertItem {
  readonly kind: 'allergy' | 'flag';
  readonly code: string | undefined;
  readonly category: string | undefined;
  /** Empty when the record names no substance or alert text. */
  readonly text: string;
  readonly detail: string | undefined;
  readonly since: string | undefined;
  /** AllergyIntolerance.criticality ("high", "low", "unable-to-assess"). */
  readonly criticality?: string | undefined;
}

export interface ResuscitationDecision {
  readonly doNotPerform: boolean;
  readonly text: string;
  readonly physician: string | undefined;
  readonly decidedOn: string | undefined;
  readonly reviewBy: string | undefined;
  readonly reason: string | undefined;
  /** False when the copy has no decision date: the decision must not be shown as valid. */
  readonly dated: boolean;
  /** The review date has passed (at the station's clock). */
  readonly reviewOverdue: boolean;
}

export interface PalliativeStatus {
  readonly active: boolean;
  readonly text: string | undefined;
  readonly since: string | undefined;
}

/** SNOMED CT 89666000 "Cardiopulmonary resuscitation". */
const CPR = '89666000';
/** ICD-10 Z51.5 "Palliative care". */
const PALLIATIVE_ICD = 'Z51.5';

function dateOnly(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

export function isResuscitationOrder(r: LoadedResource): boolean {
  return r.type === 'ServiceRequest' && code(at(r.json, 'code')) === CPR;
}

export function alertItems(res: ResidentResources): AlertItem[] {
  const allergies = res
    .byType('AllergyIntolerance')
    .filter((r) => !['inactive', 'resolved'].includes(code(at(r.json, 'clinicalStatus')) ?? ''))
    .filter((r) => code(at(r.json, 'verificationStatus')) !== 'refuted' && !isVoid(r.json))
    .map((r): AlertItem => ({
      kind: 'allergy',
      code: 'ALLERGY',
      category:
        list(at(r.json, 'category'))
          .map((c) => str(c))
          .join(', ') || undefined,
      text: conceptText(at(r.json, 'code')) ?? '',
      detail:
        list(at(r.json, 'reaction'))
          .flatMap((x) => list(at(x, 'manifestation')).map((m) => conceptText(m)))
          .filter(Boolean)
          .join(', ') || undefined,
      since: str(at(r.json, 'recordedDate')) ?? str(at(r.json, 'onsetDateTime')),
      criticality: str(at(r.json, 'criticality')),
    }))
    // The dangerous ones first.
    .sort((a, b) => Number(b.criticality === 'high') - Number(a.criticality === 'high'));
  const flags = res
    .byType('Flag')
    .filter((r) => str(at(r.json, 'status')) === 'active' && code(at(r.json, 'code')) !== 'ALLERGY')
    .map((r): AlertItem => {
      const text = conceptText(at(r.json, 'code')) ?? '';
      const since = str(at(r.json, 'period', 'start'));
      return {
        kind: 'flag',
        code: code(at(r.json, 'code')),
        category: code(list(at(r.json, 'category'))[0]),
        text,
        detail: undefined,
        // Journal systems often write the date into the flag's text ("beslut 2026-02-20");
        // showing it again after the text only makes a stressed reader compare two dates.
        since: since !== undefined && text.includes(since.slice(0, 10)) ? undefined : since,
      };
    });
  return [...allergies, ...flags];
}

/** `today` is the station's local date (YYYY-MM-DD), for the review date. */
export function resuscitationDecisions(
  res: ResidentResources,
  today: string,
): ResuscitationDecision[] {
  return res
    .byType('ServiceRequest')
    .filter((r) => isResuscitationOrder(r) && str(at(r.json, 'status')) === 'active')
    .map((r) => decisionOf(r, today));
}

function decisionOf(r: LoadedResource, today: string): ResuscitationDecision {
  const decidedOn = str(at(r.json, 'authoredOn'));
  const reviewBy = str(extension(r.json, '/review-date')?.valueDate);
  const reviewDay = dateOnly(reviewBy);
  return {
    doNotPerform: bool(at(r.json, 'doNotPerform')) === true,
    text: conceptText(at(r.json, 'code')) ?? '',
    physician: str(at(r.json, 'requester', 'display')),
    decidedOn,
    reviewBy,
    reason: list(at(r.json, 'reasonCode'))
      .map((c) => conceptText(c))
      .filter(Boolean)
      .join(' '),
    dated: dateOnly(decidedOn) !== undefined,
    reviewOverdue: reviewDay !== undefined && reviewDay < today,
  };
}

/**
 * Other limits of treatment: ServiceRequests that say "do not perform" something other than
 * resuscitation (no hospital transfer, no tube feeding), with the same physician and dates.
 */
export function isTreatmentLimit(r: LoadedResource): boolean {
  return (
    r.type === 'ServiceRequest' &&
    !isResuscitationOrder(r) &&
    bool(at(r.json, 'doNotPerform')) === true
  );
}

export function treatmentLimits(res: ResidentResources, today: string): ResuscitationDecision[] {
  return res
    .byType('ServiceRequest')
    .filter((r) => isTreatmentLimit(r) && str(at(r.json, 'status')) === 'active')
    .map((r) => decisionOf(r, today));
}

export function palliativeStatus(res: ResidentResources): PalliativeStatus {
  const flag = res
    .byType('Flag')
    .find(
      (r) => str(at(r.json, 'status')) === 'active' && code(at(r.json, 'code')) === 'PALLIATIVE',
    );
  const condition = res
    .byType('Condition')
    .find(
      (r) =>
        code(at(r.json, 'code')) === PALLIATIVE_ICD &&
        !['inactive', 'resolved', 'remission'].includes(code(at(r.json, 'clinicalStatus')) ?? '') &&
        !isVoid(r.json),
    );
  if (!flag && !condition) return { active: false, text: undefined, since: undefined };
  return {
    active: true,
    text:
      (flag ? conceptText(at(flag.json, 'code')) : undefined) ??
      (condition ? conceptText(at(condition.json, 'code')) : undefined),
    since:
      (flag ? str(at(flag.json, 'period', 'start')) : undefined) ??
      (condition
        ? (str(at(condition.json, 'onsetDateTime')) ?? str(at(condition.json, 'recordedDate')))
        : undefined),
  };
}
