/** Folder sources (Bundle JSON files, NDJSON with a manifest) and the folder writer's checks. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { readBulkManifest } from '../../src/source/bulk-folder.ts';
import { FolderWriter } from '../../src/source/folder-writer.ts';
import { pullSource } from '../../src/source/pull.ts';
import { tempDir } from '../helpers/tmp.ts';
import { linesByType, makeData, testDeps } from './pull-helpers.ts';

const root = tempDir('folders');
let n = 0;
const out = () => path.join(root, `out-${++n}`);

function folder(files: Record<string, unknown>): string {
  const dir = path.join(root, `in-${++n}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files))
    writeFileSync(
      path.join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  return dir;
}

const patient = (id: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  id,
  ...extra,
});

function bundle(type: string, resources: unknown[], extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Bundle',
    type,
    ...extra,
    entry: resources.map((resource) => ({
      resource,
      ...(type === 'transaction' || type === 'batch'
        ? { request: { method: 'PUT', url: 'x' } }
        : {}),
    })),
  };
}

async function failure(p: Promise<unknown>): Promise<ReservError> {
  const e = (await p.then(
    () => undefined,
    (x: unknown) => x,
  )) as ReservError | undefined;
  expect(e, 'should have failed').toBeDefined();
  return e!;
}

describe('bundle folder', () => {
  it('reads collection, transaction, batch and searchset Bundles; dated by the latest timestamp', async () => {
    const dir = folder({
      'a.json': bundle('collection', [patient('p1')], { timestamp: '2026-11-26T18:00:00+01:00' }),
      'b.json': bundle('transaction', [
        patient('p2'),
        { resourceType: 'Observation', id: 'o1', status: 'final' },
      ]),
      'c.json': bundle('batch', [patient('p3')], { timestamp: '2026-11-27T04:00:00Z' }),
      'd.json': {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          { resource: patient('p4'), search: { mode: 'match' } },
          { resource: { resourceType: 'Organization', id: 'inc' }, search: { mode: 'include' } },
          { resource: { resourceType: 'OperationOutcome', id: 'oo' }, search: { mode: 'outcome' } },
        ],
      },
      'e.json': {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ request: { method: 'DELETE', url: 'Patient/old' } }],
      },
      'notes.txt': 'not a bundle, not read',
    });
    const target = out();
    const result = await pullSource({ kind: 'bundle-folder', dir }, target, testDeps());
    const got = linesByType(target);
    expect(got.Patient!.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
    expect(Object.keys(got).sort()).toEqual(['Observation', 'Patient']);
    expect(readBulkManifest(target).transactionTime).toBe('2026-11-27T04:00:00.000Z');
    expect(result.warnings).toEqual([]);
  });

  it('keeps decimal digits (0.010 stays 0.010) and writes an identical duplicate once', async () => {
    const obs =
      '{"resourceType":"Observation","id":"o1","valueQuantity":{"value":0.010,"unit":"mg"}}';
    const dir = folder({
      'a.json': `{"resourceType":"Bundle","type":"collection","entry":[{"resource":${obs}}]}`,
      'b.json': `{"resourceType":"Bundle","type":"collection","entry":[{"resource":\n  ${obs.replace(/,/g, ', ')}}]}`,
    });
    const target = out();
    const result = await pullSource({ kind: 'bundle-folder', dir }, target, testDeps());
    expect(readFileSync(path.join(target, 'Observation.ndjson'), 'utf8')).toBe(obs + '\n');
    expect(result.warnings).toEqual([
      'no Bundle has a timestamp: the copy is dated by the time of this pull',
      '1 identical duplicate(s) written once',
    ]);
    expect(readBulkManifest(target).transactionTime).toBe('2026-11-27T05:00:00.000Z');
  });

  it('rejects a conflicting duplicate and leaves no output folder', async () => {
    const dir = folder({
      'a.json': bundle('collection', [patient('p1', { gender: 'female' })]),
      'b.json': bundle('collection', [patient('p1', { gender: 'male' })]),
    });
    const target = out();
    const error = await failure(pullSource({ kind: 'bundle-folder', dir }, target, testDeps()));
    expect(error.code).toBe('SOURCE_FILE_INVALID');
    expect(error.details).toEqual([
      'b.json entry 1: Patient/p1 appears twice with different content',
    ]);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root).filter((e) => e.includes('.partial-'))).toEqual([]);
  });

  it('refuses history Bundles, broken JSON and resources without an id', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'h.json': bundle('history', [patient('p1')]) }, /a history Bundle cannot be read/],
      [{ 'x.json': '{"resourceType":"Bundle",' }, /x\.json: not valid JSON/],
      [
        { 'y.json': bundle('collection', [{ resourceType: 'Patient' }]) },
        /y\.json entry 1: missing or invalid id/,
      ],
      [{ 'z.json': { resourceType: 'Patient', id: 'p' } }, /z\.json: not a FHIR Bundle/],
    ];
    for (const [files, message] of cases) {
      const error = await failure(
        pullSource({ kind: 'bundle-folder', dir: folder(files) }, out(), testDeps()),
      );
      expect(error.code).toBe('SOURCE_FILE_INVALID');
      expect(error.details.join(' ')).toMatch(message);
    }
  });
});

describe('NDJSON folder', () => {
  let data: string;
  beforeAll(() => {
    data = makeData(path.join(root, 'data'), 5);
  });

  it('copies a generated folder through the checks, content unchanged', async () => {
    const target = out();
    const result = await pullSource({ kind: 'ndjson-folder', dir: data }, target, testDeps());
    expect(linesByType(target)).toEqual(linesByType(data));
    expect(readBulkManifest(target).transactionTime).toBe(readBulkManifest(data).transactionTime);
    expect(result.resources).toBe(
      readBulkManifest(data).output.reduce((s, o) => s + (o.count ?? 0), 0),
    );
  });

  it('joins several files of one type into one', async () => {
    const dir = folder({
      'manifest.json': {
        transactionTime: '2026-11-27T05:00:00Z',
        output: [
          { type: 'Patient', url: 'Patient-1.ndjson' },
          { type: 'Patient', url: 'Patient-2.ndjson' },
        ],
      },
      'Patient-1.ndjson': '{"resourceType":"Patient","id":"a"}\n',
      'Patient-2.ndjson': '{"resourceType":"Patient","id":"b"}\r\n\n',
    });
    const target = out();
    await pullSource({ kind: 'ndjson-folder', dir }, target, testDeps());
    expect(readBulkManifest(target).output).toEqual([
      { type: 'Patient', url: 'Patient.ndjson', count: 2 },
    ]);
    expect(readFileSync(path.join(target, 'Patient.ndjson'), 'utf8')).toBe(
      '{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n',
    );
  });

  it('rejects a line of the wrong type, a manifest url outside the folder, and an error[] list', async () => {
    const manifest = (output: unknown[], extra = {}) => ({
      transactionTime: '2026-11-27T05:00:00Z',
      output,
      ...extra,
    });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        {
          'manifest.json': manifest([{ type: 'Patient', url: 'P.ndjson' }]),
          'P.ndjson': '{"resourceType":"Observation","id":"x"}\n',
        },
        'SOURCE_FILE_INVALID',
        /P\.ndjson line 1: not a Patient resource/,
      ],
      [
        { 'manifest.json': manifest([{ type: 'Patient', url: '../data/Patient.ndjson' }]) },
        'SOURCE_MANIFEST_INVALID',
        /must name a file in the export folder/,
      ],
      [
        {
          'manifest.json': manifest([], { error: [{ type: 'OperationOutcome', url: 'e.ndjson' }] }),
        },
        'SOURCE_MANIFEST_INVALID',
        /lists 1 error file\(s\): it is incomplete/,
      ],
    ];
    for (const [files, code, message] of cases) {
      const target = out();
      const error = await failure(
        pullSource({ kind: 'ndjson-folder', dir: folder(files) }, target, testDeps()),
      );
      expect(error.code).toBe(code);
      expect(error.details.join(' ')).toMatch(message);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('writes into an existing empty folder but never into one with files', async () => {
    const empty = out();
    mkdirSync(empty);
    await pullSource({ kind: 'ndjson-folder', dir: data }, empty, testDeps());
    expect(existsSync(path.join(empty, 'manifest.json'))).toBe(true);
    const error = await failure(
      pullSource({ kind: 'ndjson-folder', dir: data }, empty, testDeps()),
    );
    expect(error.code).toBe('USAGE');
  });
});

describe('the folder every source writes', () => {
  it('never grows past its size cap, and leaves nothing behind when it stops', () => {
    const dir = path.join(root, 'capped');
    const writer = FolderWriter.open(dir, 200);
    const line = (i: number) => JSON.stringify({ resourceType: 'Observation', id: `o${i}` });
    let error: ReservError | undefined;
    try {
      for (let i = 0; i < 100; i++) writer.addLine('Observation', line(i), `line ${i + 1}`);
    } catch (e) {
      error = e as ReservError;
      writer.abort();
    }
    expect(error?.code).toBe('SOURCE_FILE_INVALID');
    expect(error?.details.join(' ')).toContain('larger than 200 bytes of NDJSON');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('capped'))).toEqual([]);
  });
});
