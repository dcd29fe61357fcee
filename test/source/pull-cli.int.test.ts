/**
 * `reservjournal pull` end to end with the real binary: from the test FHIR server into a folder
 * that `snapshot build` then signs and encrypts for a station.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFhirServer, type FhirTestServer } from '../../src/demo/fhir/server.ts';
import { runCli } from '../helpers/cli.ts';
import { makeExporter, makeStation } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { linesByType, makeData } from './pull-helpers.ts';

const root = tempDir('pull-cli');
let data: string;
let server: FhirTestServer;

beforeAll(async () => {
  data = makeData(path.join(root, 'data'), 6);
  server = await startFhirServer({
    dataDir: data,
    behaviour: { requireToken: 'cli-token', gzip: true, inProgressPolls: 1, retryAfter: '1' },
  });
  writeFileSync(path.join(root, 'token.txt'), 'cli-token\n');
});
afterAll(() => server.close());

describe('reservjournal pull', () => {
  it('pulls a Bulk Data export with a token file, and snapshot build accepts the folder', async () => {
    const pulled = await runCli(
      ['pull', '--fhir-base', server.base, '--token-file', 'token.txt', '--out', 'pulled'],
      { cwd: root },
    );
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(
      /^Pulled \d+ resources \(AllergyIntolerance \d+, .*Patient 6, .*\) into .*pulled, data as of 2026-11-27T05:00:00.000Z; 0 warning\(s\)\.\n$/,
    );
    expect(linesByType(path.join(root, 'pulled'))).toEqual(linesByType(data));
    expect(server.log.some((r) => r.method === 'DELETE')).toBe(true);

    const exporter = makeExporter(path.join(root, 'exporter'));
    makeStation(path.join(root, 'station'), exporter);
    const built = await runCli(
      [
        'snapshot',
        'build',
        '--source',
        'pulled',
        '--sequence',
        '1',
        '--sign-key',
        path.join('exporter', 'exporter.key'),
        '--recipient',
        path.join('station', 'station.pub'),
        '--out',
        'snap-1.rjsnap',
      ],
      { cwd: root },
    );
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(existsSync(path.join(root, 'snap-1.rjsnap'))).toBe(true);
  });

  it('reads a folder of Bundles with --from-bundles', async () => {
    mkdirSync(path.join(root, 'bundles'));
    writeFileSync(
      path.join(root, 'bundles', 'b.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: '2026-11-27T04:00:00Z',
        entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }],
      }),
    );
    const r = await runCli(['pull', '--from-bundles', 'bundles', '--out', 'from-bundles'], {
      cwd: root,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Pulled 1 resources \(Patient 1\) .* data as of 2026-11-27T04:00:00.000Z/,
    );
  });

  it('fails with the error code, details and next step; nothing written', async () => {
    const wrong = await runCli(
      ['pull', '--fhir-base', server.base, '--token-env', 'RJ_TEST_TOKEN', '--out', 'denied'],
      {
        cwd: root,
        env: { RJ_TEST_TOKEN: 'not-the-token' },
      },
    );
    expect(wrong.code).toBe(77);
    expect(wrong.stderr).toMatch(/SOURCE_AUTH_FAILED[\s\S]*HTTP 401[\s\S]*Next step:/);
    expect(existsSync(path.join(root, 'denied'))).toBe(false);
    const usage = await runCli(
      ['pull', '--fhir-base', 'http://fhir.example.se/fhir', '--from-folder', 'x', '--out', 'u'],
      { cwd: root },
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /give exactly one of --fhir-base URL, --from-bundles DIR or --from-folder DIR/,
    );
    const insecure = await runCli(
      ['pull', '--fhir-base', 'http://fhir.example.se/fhir', '--out', 'u'],
      { cwd: root },
    );
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toMatch(/pull\.base must use https:\/\//);
  });
});
