/** Diagnoses (Condition) in force, as written, newest first. */
import { at, code, conceptText, str } from '../fhir-read.ts';
import { isVoid, type ResidentResources } from './load.ts';

export interface DiagnosisItem {
  readonly code: string | undefined;
  readonly text: string;
  readonly since: string | undefined;
}

export function diagnoses(res: ResidentResources): DiagnosisItem[] {
  return res
    .byType('Condition')
    .filter(
      (r) =>
        !['inactive', 'resolved', 'remission'].includes(code(at(r.json, 'clinicalStatus')) ?? '') &&
        code(at(r.json, 'verificationStatus')) !== 'refuted' &&
        !isVoid(r.json),
    )
    .map((r) => ({
      code: code(at(r.json, 'code')),
      text: conceptText(at(r.json, 'code')) ?? '',
      since:
        str(at(r.json, 'onsetDateTime')) ??
        str(at(r.json, 'onsetString')) ??
        str(at(r.json, 'recordedDate')),
    }))
    .sort((a, b) => (b.since ?? '').localeCompare(a.since ?? ''));
}
