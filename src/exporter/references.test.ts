import { describe, expect, it } from 'vitest';
import { keyHash, referenceKey, referencesOf } from './references.ts';

describe('referencesOf', () => {
  it('finds references anywhere, reduced to Type/id, each once', () => {
    const resource = {
      resourceType: 'Appointment',
      id: 'a',
      participant: [
        { actor: { reference: 'Patient/p1' } },
        { actor: { reference: 'https://journal.example/fhir/Practitioner/x/_history/4' } },
        { actor: { reference: 'Patient/p1' } },
      ],
      extension: [{ valueReference: { reference: 'Location/room-1', display: 'Rum 1' } }],
      contained: [{ resourceType: 'Medication', id: 'm' }],
      basedOn: [{ reference: '#m' }, { reference: 'urn:uuid:0b5a' }, { reference: 'not a ref' }],
    };
    expect(referencesOf(resource).sort()).toEqual([
      'Location/room-1',
      'Patient/p1',
      'Practitioner/x',
    ]);
  });

  it('stays linear for a Group of thousands and survives deep nesting', () => {
    const member = Array.from({ length: 5000 }, (_, i) => ({
      entity: { reference: `Patient/p${i % 2500}` },
    }));
    expect(referencesOf({ resourceType: 'Group', id: 'g', member })).toHaveLength(2500);
    let deep: Record<string, unknown> = { reference: 'Patient/deep' };
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    expect(referencesOf(deep)).toEqual(['Patient/deep']);
  });

  it('keys and hashes', () => {
    expect(referenceKey('Organization/sabo-1')).toBe('Organization/sabo-1');
    expect(referenceKey('Organization/')).toBeUndefined();
    expect(keyHash('Patient/a')).not.toBe(keyHash('Patient/b'));
    expect(Number.isSafeInteger(keyHash('Medication/lm-1'))).toBe(true);
  });
});
