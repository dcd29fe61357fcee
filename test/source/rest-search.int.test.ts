/** REST search with paging against the test server on 127.0.0.1. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { pullSource } from '../../src/source/pull.ts';
import { startFhirServer, type FhirTestServer } from '../../src/demo/fhir/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { linesByType, makeData, testDeps } from './pull-helpers.ts';

const root = tempDir('search');
let data: string;
let server: FhirTestServer | undefined;
let n = 0;
const out = () => path.join(root, `out-${++n}`);

beforeAll(() => {
  data = makeData(path.join(root, 'data'), 10);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('REST search', () => {
  it('follows next links across pages and keeps only match entries', async () => {
    server = await startFhirServer({ dataDir: data });
    const dir = out();
    const result = await pullSource(
      { kind: 'rest-search', base: server.base, types: ['Patient', 'Observation'], pageSize: 4 },
      dir,
      testDeps(),
    );
    const source = linesByType(data);
    // Same resources; a line may differ in white space only, so compare parsed.
    const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as unknown);
    const got = linesByType(dir);
    expect(Object.keys(got).sort()).toEqual(['Observation', 'Patient']);
    expect(parsed(got.Patient!)).toEqual(parsed(source.Patient!));
    expect(parsed(got.Observation!)).toEqual(parsed(source.Observation!));
    const pages = server.log.filter((r) => r.path === '/fhir/Patient');
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query.get('_count')).toBe('4');
    expect(result.resources).toBe(source.Patient!.length + source.Observation!.length);
  });

  it('passes --since as _lastUpdated=gt and searches the station types by default', async () => {
    server = await startFhirServer({ dataDir: data });
    const result = await pullSource(
      { kind: 'rest-search', base: server.base, since: '2026-11-01T00:00:00Z' },
      out(),
      testDeps(),
    );
    const first = server.log.find((r) => r.path === '/fhir/MedicationRequest')!;
    expect(first.query.get('_lastUpdated')).toBe('gt2026-11-01T00:00:00Z');
    expect(server.log.some((r) => r.path === '/fhir/Patient')).toBe(true);
    expect(result.warnings).toEqual(['the server does not offer Goal (HTTP 404); skipped']);
  });

  it('keeps decimals exactly as the server wrote them', async () => {
    server = await startFhirServer({ dataDir: data });
    const dir = out();
    await pullSource(
      { kind: 'rest-search', base: server.base, types: ['Observation'] },
      dir,
      testDeps(),
    );
    const decimals = (lines: string[]) =>
      lines.flatMap((l) => l.match(/"value":-?\d+\.\d+/g) ?? []).sort();
    const source = decimals(linesByType(data).Observation!);
    expect(source.length).toBeGreaterThan(0);
    expect(decimals(linesByType(dir).Observation!)).toEqual(source);
  });

  it('refuses a next link to another origin and writes nothing', async () => {
    server = await startFhirServer({
      dataDir: data,
      behaviour: { nextLinkOrigin: 'http://localhost:1' },
    });
    const dir = out();
    const error = (await pullSource(
      { kind: 'rest-search', base: server.base, types: ['Patient'], pageSize: 3 },
      dir,
      testDeps(),
    ).catch((e: unknown) => e)) as ReservError;
    expect(error.code).toBe('SOURCE_RESPONSE_INVALID');
    expect(error.details[0]).toMatch(/next link points at another server \(http:\/\/localhost:1\)/);
    expect(existsSync(dir)).toBe(false);
  });

  it('stops at the page cap', async () => {
    server = await startFhirServer({ dataDir: data });
    const error = (await pullSource(
      { kind: 'rest-search', base: server.base, types: ['Patient'], pageSize: 1, maxPages: 3 },
      out(),
      testDeps(),
    ).catch((e: unknown) => e)) as ReservError;
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details[0]).toMatch(/more than 3 pages/);
  });
});
