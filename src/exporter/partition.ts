/**
 * Data minimisation: from one pulled export, one folder per station holding only the people of
 * the units it serves and what their records need.
 *
 * A station's copy holds:
 * - the Organizations of its units, their sub-units (a unit id covers everything `partOf` it)
 *   and their ancestors (the home a ward belongs to, the municipality);
 * - the Patients whose `managingOrganization` is one of its units or sub-units;
 * - every other resource that references one of those Patients anywhere in it (subject,
 *   patient, participant.actor, …). A resource naming people of two stations goes to both; one
 *   naming nobody's people goes nowhere unless it is shared;
 * - the shared resources those point at, and the staff and places of its Organizations (see
 *   shared-graph.ts).
 *
 * Cost is one reading of the whole export plus writing each station's share: four passes over
 * the files at most (Organizations; Patients; everything else, routed as it is read; then only
 * the files that held shared resources, again), each line sent straight to every station that
 * wants it. Memory holds id sets (the unit tree, which station each person belongs to, the
 * reference numbers of each station's share and the shared graph), never a file.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { lineFailure, LineSplitter } from '../core/lines.ts';
import type { Logger } from '../core/log.ts';
import { MAX_LINE_CHARS } from '../snapshot/build.ts';
import { readBulkManifest, type ManifestOutput } from '../source/bulk-folder.ts';
import { keyHash, referenceKey, referencesOf } from './references.ts';
import { OWNER_FIELD, SharedGraph } from './shared-graph.ts';
import { StationOutputs, type StationShare } from './station-outputs.ts';

export interface PartitionStation {
  readonly name: string;
  /** Organization ids; each covers its sub-units. */
  readonly units: readonly string[];
}

export interface PartitionResult {
  readonly shares: readonly (StationShare & { readonly people: number })[];
  /** Patients that belong to no configured station (left out of every copy). */
  readonly unassignedPeople: number;
}

type Resource = Record<string, unknown> & { id: string };
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function invalid(file: string, line: number, what: string): ReservError {
  return new ReservError('SOURCE_FILE_INVALID', { details: [`${file} line ${line}: ${what}`] });
}

/** Read every resource of one export file, checked as `snapshot build` checks it. */
async function eachResource(
  dir: string,
  out: ManifestOutput,
  onResource: (resource: Resource, line: string) => void,
): Promise<void> {
  const splitter = new LineSplitter(MAX_LINE_CHARS, (line, lineNo) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw invalid(out.url, lineNo, 'not valid JSON');
    }
    const r = json as Partial<Resource> | null;
    if (typeof r !== 'object' || r === null || r.resourceType !== out.type)
      throw invalid(out.url, lineNo, `not a ${out.type} resource`);
    if (typeof r.id !== 'string' || !FHIR_ID.test(r.id))
      throw invalid(out.url, lineNo, 'missing or invalid id');
    onResource(r as Resource, line);
  });
  try {
    for await (const chunk of createReadStream(path.join(dir, out.url), {
      highWaterMark: 1 << 20,
    }))
      splitter.push(chunk as Buffer);
    splitter.end();
  } catch (error) {
    throw lineFailure(error, out.url, 'SOURCE_FILE_INVALID');
  }
}

function idOf(ref: unknown, type: string): string | undefined {
  const r = (ref as { reference?: unknown } | undefined)?.reference;
  const key = typeof r === 'string' ? referenceKey(r) : undefined;
  return key?.startsWith(`${type}/`) ? key.slice(type.length + 1) : undefined;
}

/** The unit tree: each station's own units with their sub-units, and with their ancestors. */
function unitsOfStations(
  stations: readonly PartitionStation[],
  parent: ReadonlyMap<string, string | undefined>,
): { members: Set<string>[]; withAncestors: Set<string>[] } {
  const children = new Map<string, string[]>();
  for (const [id, p] of parent) {
    if (p === undefined) continue;
    const list = children.get(p);
    if (list) list.push(id);
    else children.set(p, [id]);
  }
  const problems: string[] = [];
  const members = stations.map((s) => {
    const set = new Set<string>();
    for (const unit of s.units) {
      if (!parent.has(unit)) {
        problems.push(`station ${s.name}: unit "${unit}" matches no Organization in the export`);
        continue;
      }
      const todo = [unit];
      while (todo.length > 0) {
        const id = todo.pop()!;
        if (set.has(id)) continue;
        set.add(id);
        todo.push(...(children.get(id) ?? []));
      }
    }
    return set;
  });
  if (problems.length > 0)
    throw new ReservError('CONFIG_INVALID', {
      details: [...problems, 'check the station units against the Organization ids of the export'],
    });
  const withAncestors = members.map((set) => {
    const all = new Set(set);
    for (const id of set)
      for (let p = parent.get(id); p !== undefined && !all.has(p); p = parent.get(p)) all.add(p);
    return all;
  });
  return { members, withAncestors };
}

export async function partitionExport(
  sourceDir: string,
  stations: readonly PartitionStation[],
  outRoot: string,
  deps: { readonly log: Logger },
): Promise<PartitionResult> {
  const manifest = readBulkManifest(sourceDir);
  const byType = new Map(manifest.output.map((o) => [o.type, o]));
  const graph = new SharedGraph();

  // Pass 1: the Organization tree (small: one line per unit).
  const parent = new Map<string, string | undefined>();
  const orgFile = byType.get('Organization');
  if (orgFile)
    await eachResource(sourceDir, orgFile, (org) => {
      parent.set(org.id, idOf(org.partOf, 'Organization'));
      graph.add(`Organization/${org.id}`, referencesOf(org), undefined);
    });
  const { members, withAncestors } = unitsOfStations(stations, parent);
  const stationsOfUnit = new Map<string, number[]>();
  for (const [s, set] of members.entries())
    for (const unit of set) stationsOfUnit.set(unit, [...(stationsOfUnit.get(unit) ?? []), s]);

  const names = stations.map((s) => s.name);
  const outputs = new StationOutputs(outRoot, names);
  // Per station, the reference numbers its included resources point at (seeds of its share of
  // the shared graph).
  const wanted = stations.map(() => new Set<number>());
  const people = stations.map(() => 0);
  const route = (targets: readonly number[], type: string, line: string, refs: string[]) => {
    for (const s of targets) {
      outputs.write(s, type, line);
      const w = wanted[s]!;
      for (const r of refs) if (!r.startsWith('Patient/')) w.add(keyHash(r));
    }
  };

  // Pass 2: Patients, each to the stations of its managing unit.
  const stationsOfPatient = new Map<string, readonly number[]>();
  let unassignedPeople = 0;
  const patientFile = byType.get('Patient');
  if (patientFile)
    await eachResource(sourceDir, patientFile, (patient, line) => {
      const unit = idOf(patient.managingOrganization, 'Organization');
      const targets = unit === undefined ? undefined : stationsOfUnit.get(unit);
      if (targets === undefined) {
        unassignedPeople++;
        return;
      }
      stationsOfPatient.set(patient.id, targets);
      for (const s of targets) people[s]!++;
      route(targets, 'Patient', line, referencesOf(patient));
    });
  outputs.flush();

  // Pass 3: everything else. A resource naming a Patient goes to that Patient's stations now;
  // one naming no Patient is shared and waits for pass 4.
  const sharedTypes = new Set<string>(['Organization']);
  for (const out of manifest.output) {
    if (out.type === 'Organization' || out.type === 'Patient') continue;
    const ownerField = OWNER_FIELD[out.type];
    await eachResource(sourceDir, out, (resource, line) => {
      const refs = referencesOf(resource);
      let targets: number[] | undefined;
      let namesPatient = false;
      for (const r of refs) {
        if (!r.startsWith('Patient/')) continue;
        namesPatient = true;
        for (const s of stationsOfPatient.get(r.slice(8)) ?? [])
          if (!targets) targets = [s];
          else if (!targets.includes(s)) targets.push(s);
      }
      if (targets) route(targets, out.type, line, refs);
      else if (!namesPatient) {
        sharedTypes.add(out.type);
        const owner = ownerField ? idOf(resource[ownerField], 'Organization') : undefined;
        graph.add(
          `${out.type}/${resource.id}`,
          refs,
          owner === undefined ? undefined : `Organization/${owner}`,
        );
      }
    });
    outputs.flush();
  }

  // Each station's share of the shared graph, inverted so that pass 4 looks each line up once.
  const stationsOfShared = new Map<number, number[]>();
  for (const [s, w] of wanted.entries()) {
    for (const unit of withAncestors[s]!) w.add(keyHash(`Organization/${unit}`));
    for (const hash of graph.closure(w)) {
      const list = stationsOfShared.get(hash);
      if (list) list.push(s);
      else stationsOfShared.set(hash, [s]);
    }
    w.clear();
  }

  // Pass 4: the shared resources, only from the files that held any.
  for (const out of manifest.output) {
    if (!sharedTypes.has(out.type)) continue;
    await eachResource(sourceDir, out, (resource, line) => {
      const targets = stationsOfShared.get(keyHash(`${out.type}/${resource.id}`));
      if (targets === undefined) return;
      // A resource with the same id that names a Patient was routed by pass 3 already.
      if (referencesOf(resource).some((r) => r.startsWith('Patient/'))) return;
      for (const s of targets) outputs.write(s, out.type, line);
    });
    outputs.flush();
  }

  const shares = outputs
    .finish(names, manifest.transactionTime)
    .map((share, s) => ({ ...share, people: people[s]! }));
  deps.log.info('exporter.partitioned', {
    stations: shares.length,
    people: people.reduce((a, b) => a + b, 0),
    unassignedPeople,
    sharedResources: graph.size,
    files: manifest.output.length,
  });
  return { shares, unassignedPeople };
}
