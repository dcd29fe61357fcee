/**
 * Identity: the identity number for display, the address and phone. Protected identity
 * (sekretessmarkering, skyddad folkbokföring) means the address is never shown or printed, so
 * the view model never carries it: no page or print can show what it was not given.
 */
import type { ExactJson } from '../../core/exact-json.ts';
import { formatTwelveDigit } from '../../core/personnummer.ts';
import type { PatientRow } from '../../store/queries.ts';
import { at, list, obj, str } from '../fhir-read.ts';
import { conceptTexts } from './load.ts';

export interface IdentityFacts {
  readonly identityDisplay: string;
  readonly address: string | undefined;
  readonly phone: string | undefined;
  /** Preferred language other than Swedish, as the record writes it. */
  readonly language: string | undefined;
}

export function identityFacts(patient: PatientRow, p: ExactJson | null): IdentityFacts {
  const hidden = patient.protected !== 0;
  const address = hidden
    ? undefined
    : (() => {
        const a = obj(list(at(p ?? null, 'address'))[0]);
        if (!a) return undefined;
        const line = list(a.line)
          .map((l) => str(l) ?? '')
          .join(', ');
        const text = [line, [str(a.postalCode), str(a.city)].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ');
        return text === '' ? str(a.text) : text;
      })();
  const preferred =
    list(at(p ?? null, 'communication')).find((c) => at(c, 'preferred') === true) ??
    list(at(p ?? null, 'communication'))[0];
  return {
    identityDisplay:
      patient.identNorm && /^\d{12}$/.test(patient.identNorm)
        ? formatTwelveDigit(patient.identNorm)
        : (patient.identValue ?? ''),
    address,
    phone: hidden ? undefined : str(at(list(at(p ?? null, 'telecom'))[0], 'value')),
    language: preferred ? conceptTexts([at(preferred, 'language') ?? null]) : undefined,
  };
}
