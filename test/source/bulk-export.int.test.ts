/**
 * The Bulk Data client against the spec-following test server on 127.0.0.1: kick-off levels and
 * parameters, polling, failures, resumed and gzip downloads, error[] and the final DELETE.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { readBulkManifest } from '../../src/source/bulk-folder.ts';
import { pullSource } from '../../src/source/pull.ts';
import type { SourceSpec } from '../../src/source/source.ts';
import {
  startFhirServer,
  type Behaviour,
  type FhirTestServer,
} from '../../src/demo/fhir/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { linesByType, makeData, testDeps } from './pull-helpers.ts';

const root = tempDir('bulk');
let data: string;
let server: FhirTestServer | undefined;
let n = 0;

beforeAll(() => {
  data = makeData(path.join(root, 'data'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(behaviour: Behaviour = {}, groups?: Record<string, string[]>) {
  server = await startFhirServer({ dataDir: data, behaviour, ...(groups && { groups }) });
  return server;
}

function out(): string {
  return path.join(root, `out-${++n}`);
}

function bulk(
  s: FhirTestServer,
  extra: Partial<Extract<SourceSpec, { kind: 'bulk-export' }>> = {},
): SourceSpec {
  return { kind: 'bulk-export', base: s.base, ...extra };
}

async function failure(p: Promise<unknown>): Promise<ReservError> {
  const error = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as ReservError | undefined;
  expect(error, 'the pull should have failed').toBeDefined();
  return error!;
}

const requests = (s: FhirTestServer, method: string, pattern: RegExp) =>
  s.log.filter((r) => r.method === method && pattern.test(r.path));

describe('bulk export', () => {
  it('pulls a system-level export whose content equals the source, then deletes the job', async () => {
    const s = await serve();
    const dir = out();
    const result = await pullSource(bulk(s), dir, testDeps());
    expect(linesByType(dir)).toEqual(linesByType(data));
    expect(readBulkManifest(dir).transactionTime).toBe('2026-11-27T05:00:00.000Z');
    expect(result.warnings).toEqual([]);
    const kick = requests(s, 'GET', /\/fhir\/\$export$/)[0]!;
    expect(kick.headers.prefer).toBe('respond-async');
    expect(kick.headers.accept).toBe('application/fhir+json');
    expect(kick.query.get('_outputFormat')).toBe('application/fhir+ndjson');
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
    expect(readdirSync(root).filter((e) => e.includes('.partial-'))).toEqual([]);
  });

  it('passes _type and _since at Patient level and writes only those types', async () => {
    const s = await serve();
    const dir = out();
    await pullSource(
      bulk(s, {
        level: 'patient',
        types: ['Patient', 'Observation'],
        since: '2026-01-01T00:00:00Z',
      }),
      dir,
      testDeps(),
    );
    const kick = requests(s, 'GET', /\/fhir\/Patient\/\$export$/)[0]!;
    expect(kick.query.get('_type')).toBe('Patient,Observation');
    expect(kick.query.get('_since')).toBe('2026-01-01T00:00:00Z');
    expect(Object.keys(linesByType(dir)).sort()).toEqual(['Observation', 'Patient']);
  });

  it('exports a Group: only its members, and several files of one type joined', async () => {
    const patients = linesByType(data).Patient!.map((l) => (JSON.parse(l) as { id: string }).id);
    const members = patients.slice(0, 3);
    const s = await serve({ filesPerType: 2 }, { 'unit-1': members });
    const dir = out();
    await pullSource(
      bulk(s, { level: 'group', group: 'unit-1', types: ['Patient', 'Observation'] }),
      dir,
      testDeps(),
    );
    expect(requests(s, 'GET', /\/fhir\/Group\/unit-1\/\$export$/)).toHaveLength(1);
    const got = linesByType(dir);
    expect(got.Patient!.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(
      [...members].sort(),
    );
    const subjects = new Set(
      got.Observation!.map(
        (l) => (JSON.parse(l) as { subject: { reference: string } }).subject.reference,
      ),
    );
    for (const ref of subjects) expect(members).toContain(ref.slice(8));
    expect(readBulkManifest(dir).output.map((o) => o.type)).toEqual(['Observation', 'Patient']);
  });

  it('honours Retry-After while the export is in progress', async () => {
    const s = await serve({ inProgressPolls: 3, retryAfter: '7' });
    const deps = testDeps();
    await pullSource(bulk(s), out(), deps);
    expect(deps.sleeps).toEqual([7000, 7000, 7000]);
    expect(requests(s, 'GET', /bulkstatus/)).toHaveLength(4);
  });

  it('backs off exponentially when the server gives no Retry-After, and reads an HTTP-date', async () => {
    const s = await serve({ inProgressPolls: 3 });
    const deps = testDeps();
    await pullSource(bulk(s), out(), deps);
    expect(deps.sleeps).toEqual([1000, 2000, 4000]);
    const s2 = await startFhirServer({
      dataDir: data,
      behaviour: {
        inProgressPolls: 1,
        retryAfter: new Date(Date.parse('2026-11-27T05:00:30Z')).toUTCString(),
      },
    });
    const deps2 = testDeps('2026-11-27T05:00:00Z');
    await pullSource(bulk(s2), out(), deps2);
    await s2.close();
    expect(deps2.sleeps).toEqual([30_000]);
  });

  it('recovers from failing polls (500, then 429 with Retry-After)', async () => {
    const s = await serve({ statusFailures: { count: 2, status: 500 } });
    const deps = testDeps();
    await pullSource(bulk(s), out(), deps);
    expect(deps.sleeps).toEqual([1000, 2000]);
    s.behaviour.statusFailures = { count: 1, status: 429, retryAfter: '11' };
    const deps2 = testDeps();
    await pullSource(bulk(s), out(), deps2);
    expect(deps2.sleeps).toEqual([11_000]);
  });

  it('gives up on polls that never recover, leaves no folder and still deletes the job', async () => {
    const s = await serve({ statusFailures: { count: 1000, status: 503 } });
    const deps = testDeps();
    const dir = out();
    const error = await failure(pullSource(bulk(s), dir, deps));
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details.join(' ')).toMatch(/HTTP 503 \(server error\) after 5 attempts/);
    expect(deps.sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(existsSync(dir)).toBe(false);
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
  });

  it('refuses an output file larger than the cap, leaves no folder and deletes the job', async () => {
    const s = await serve();
    const dir = out();
    const error = await failure(pullSource(bulk(s, { maxFileBytes: 2048 }), dir, testDeps()));
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details.join(' ')).toMatch(/the file is larger than 2048 bytes/);
    expect(existsSync(dir)).toBe(false);
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
  });

  it('does not retry a 500 whose OperationOutcome says the failure is final', async () => {
    const s = await serve({ statusFailures: { count: 1000, status: 500, final: true } });
    const deps = testDeps();
    const error = await failure(pullSource(bulk(s), out(), deps));
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details.join(' ')).toMatch(/error processing: try later/);
    expect(deps.sleeps).toEqual([]);
  });

  it('stops at the overall deadline when the export never finishes', async () => {
    const s = await serve({ inProgressPolls: 1_000_000, retryAfter: '600' });
    const error = await failure(
      pullSource(bulk(s, { exportTimeoutMinutes: 30 }), out(), testDeps()),
    );
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details[0]).toMatch(
      /did not finish within 30 minutes \(last progress: \d+% done\)/,
    );
    expect(requests(s, 'GET', /bulkstatus/).length).toBeLessThanOrEqual(30 / 2 + 1);
  });

  it('says so when the job has expired (404 on the status URL)', async () => {
    const s = await serve({ expireJob: true });
    const error = await failure(pullSource(bulk(s), out(), testDeps()));
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details[0]).toMatch(
      /HTTP 404: the server no longer knows this export job \(it expired/,
    );
  });

  it('resumes a download cut mid-way with Range and If-Range; content identical', async () => {
    const s = await serve({ cutAfterBytes: 1000 });
    const dir = out();
    await pullSource(bulk(s, { types: ['Patient', 'Appointment'] }), dir, testDeps());
    const files = requests(s, 'GET', /bulkfiles/);
    const resumed = files.filter((r) => r.headers.range !== undefined);
    expect(resumed.length).toBe(2);
    for (const r of resumed) {
      expect(r.headers.range).toBe('bytes=1000-');
      expect(r.headers['if-range']).toMatch(/^"/);
    }
    const source = linesByType(data);
    expect(linesByType(dir)).toEqual({ Patient: source.Patient, Appointment: source.Appointment });
  });

  it('restarts a cut download from the start when the server does not do ranges', async () => {
    const s = await serve({ cutAfterBytes: 500, ranges: false });
    const dir = out();
    await pullSource(bulk(s, { types: ['Patient'] }), dir, testDeps());
    const files = requests(s, 'GET', /bulkfiles/);
    expect(files).toHaveLength(2);
    expect(files.every((r) => r.headers.range === undefined)).toBe(true);
    expect(linesByType(dir).Patient).toEqual(linesByType(data).Patient);
  });

  it('accepts gzip, also when a gzip download is cut and resumed', async () => {
    const s = await serve({ gzip: true, cutAfterBytes: 300 });
    const dir = out();
    await pullSource(bulk(s, { types: ['Patient', 'Observation'] }), dir, testDeps());
    const files = requests(s, 'GET', /bulkfiles/);
    expect(files.every((r) => r.headers['accept-encoding'] === 'gzip')).toBe(true);
    expect(files.some((r) => r.headers.range === 'bytes=300-')).toBe(true);
    const source = linesByType(data);
    expect(linesByType(dir)).toEqual({ Patient: source.Patient, Observation: source.Observation });
  });

  it('fails on a partial manifest with error[] by default, listing the diagnostics', async () => {
    const s = await serve({
      errorDiagnostics: ['Observation export timed out', 'Condition store offline'],
    });
    const dir = out();
    const error = await failure(pullSource(bulk(s), dir, testDeps()));
    expect(error.code).toBe('SOURCE_EXPORT_FAILED');
    expect(error.details).toEqual([
      expect.stringMatching(/reported 2 problem\(s\) in error\[\]: the copy would be incomplete/),
      'error processing: Observation export timed out',
      'error processing: Condition store offline',
    ]);
    expect(existsSync(dir)).toBe(false);
    // Failing early: no output file was fetched, and the job was still released.
    expect(requests(s, 'GET', /bulkfiles\/.*\/(?!errors)/)).toHaveLength(0);
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
  });

  it('accepts a partial manifest with allowPartial, returning the problems as warnings', async () => {
    const s = await serve({ errorDiagnostics: ['Observation export timed out'] });
    const dir = out();
    const result = await pullSource(
      bulk(s, { allowPartial: true, types: ['Patient'] }),
      dir,
      testDeps(),
    );
    expect(result.warnings).toEqual([
      'server reported: error processing: Observation export timed out',
    ]);
    expect(result.resources).toBe(12);
  });

  it('follows a paged manifest (link next) and gathers the files and errors of every page', async () => {
    const s = await serve({
      filesPerType: 2,
      manifestPageSize: 3,
      errorDiagnostics: ['Condition store offline'],
    });
    const dir = out();
    const result = await pullSource(bulk(s, { allowPartial: true }), dir, testDeps());
    expect(linesByType(dir)).toEqual(linesByType(data));
    // error[] is only on the last page: the warning proves every page was read.
    expect(result.warnings).toEqual(['server reported: error processing: Condition store offline']);
    const types = Object.keys(linesByType(data)).length;
    const pages = requests(s, 'GET', /\/bulkstatus\/[\w-]+\/page\/\d+$/).map((r) => r.path);
    expect(pages).toHaveLength(Math.ceil((types * 2) / 3) - 1);
    expect(pages.at(-1)).toMatch(new RegExp(`/page/${pages.length + 1}$`));
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
  });

  it('refuses a manifest page on another server, leaves no folder and deletes the job', async () => {
    const s = await serve({ manifestPageSize: 1, nextLinkOrigin: 'http://localhost:1' });
    const dir = out();
    const error = await failure(pullSource(bulk(s), dir, testDeps()));
    expect(error.code).toBe('SOURCE_RESPONSE_INVALID');
    expect(error.details.join('\n')).toMatch(/links to too many pages, or to another server/);
    expect(existsSync(dir)).toBe(false);
    expect(requests(s, 'GET', /\/page\//)).toHaveLength(0);
    expect(requests(s, 'DELETE', /bulkstatus/)).toHaveLength(1);
  });

  it('sends the bearer token, and fails with SOURCE_AUTH_FAILED on a wrong one', async () => {
    const s = await serve({ requireToken: 'right-token', requiresAccessToken: true });
    const env = { FHIR_TOKEN: 'right-token' };
    await pullSource(
      bulk(s, { types: ['Patient'], auth: { kind: 'bearer', tokenEnv: 'FHIR_TOKEN' } }),
      out(),
      { ...testDeps(), env },
    );
    expect(requests(s, 'GET', /bulkfiles/)[0]!.headers.authorization).toBe('Bearer right-token');
    const error = await failure(
      pullSource(bulk(s, { auth: { kind: 'bearer', tokenEnv: 'FHIR_TOKEN' } }), out(), {
        ...testDeps(),
        env: { FHIR_TOKEN: 'wrong' },
      }),
    );
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.details[0]).toMatch(/HTTP 401/);
  });

  it('sends no Authorization with file requests when requiresAccessToken is false', async () => {
    const s = await serve({ requireToken: 'right-token', requiresAccessToken: false });
    await pullSource(
      bulk(s, { types: ['Patient'], auth: { kind: 'bearer', tokenEnv: 'T' } }),
      out(),
      { ...testDeps(), env: { T: 'right-token' } },
    );
    const files = requests(s, 'GET', /bulkfiles/);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('refuses to write into a folder that already holds files', async () => {
    const s = await serve();
    const error = await failure(pullSource(bulk(s), data, testDeps()));
    expect(error.code).toBe('USAGE');
    expect(s.log).toHaveLength(0);
  });
});
