import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourceSpec } from './spec.ts';

const BASE = path.resolve('/etc/reservjournal');

describe('parseSourceSpec', () => {
  it('accepts a Group-level bulk export with SMART auth and resolves the key file', () => {
    const { spec, problems } = parseSourceSpec(
      {
        kind: 'bulk-export',
        base: 'https://fhir.example.se/fhir/',
        group: 'unit-1',
        types: ['Patient', 'MedicationRequest'],
        auth: { kind: 'smart-backend', clientId: 'rj', privateKeyFile: 'smart.pem', keyId: 'k1' },
      },
      BASE,
    );
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      kind: 'bulk-export',
      base: 'https://fhir.example.se/fhir',
      level: 'group',
      group: 'unit-1',
      types: ['Patient', 'MedicationRequest'],
      auth: {
        kind: 'smart-backend',
        clientId: 'rj',
        privateKeyFile: path.join(BASE, 'smart.pem'),
        keyId: 'k1',
      },
    });
  });

  it('accepts folders and bearer tokens named by variable', () => {
    expect(parseSourceSpec({ kind: 'bundle-folder', dir: 'in' }, BASE).spec).toEqual({
      kind: 'bundle-folder',
      dir: path.join(BASE, 'in'),
    });
    expect(
      parseSourceSpec(
        {
          kind: 'rest-search',
          base: 'http://127.0.0.1:8080/fhir',
          pageSize: 50,
          auth: { kind: 'bearer', tokenEnv: 'FHIR_TOKEN' },
        },
        BASE,
      ).spec,
    ).toMatchObject({ kind: 'rest-search', pageSize: 50, auth: { tokenEnv: 'FHIR_TOKEN' } });
  });

  it('collects every problem at once, in sentences', () => {
    const { spec, problems } = parseSourceSpec(
      {
        kind: 'bulk-export',
        base: 'http://fhir.example.se/fhir',
        level: 'group',
        types: ['Patinet'],
        since: '2026-01-01',
        auth: { kind: 'bearer', token: 'abc' },
        colour: 'blue',
      },
      BASE,
    );
    expect(spec).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/source\.base must use https/),
        expect.stringMatching(/source\.group must be the id/),
        expect.stringMatching(/"Patinet" is not a FHIR R4 resource type/),
        expect.stringMatching(/source\.since is not allowed/),
        expect.stringMatching(/source\.auth\.token: secrets are never written/),
        expect.stringMatching(/source\.auth \(bearer\) needs exactly one/),
        expect.stringMatching(/source\.colour is not a known setting/),
      ]),
    );
  });

  it('refuses a missing or unknown kind', () => {
    expect(parseSourceSpec(undefined, BASE).problems).toHaveLength(1);
    expect(parseSourceSpec({ kind: 'ftp' }, BASE).problems[0]).toMatch(/source\.kind must be/);
  });
});
