/**
 * The `stations` list of the exporter's config: each station's name (its outbox folder, and the
 * target its snapshots are addressed to, so it must match `station init --name`), its public
 * key (loaded and checked here) and the Organization ids of the units it serves. Names are
 * compared without case, because the outbox may live on a file system that ignores case.
 */
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { STATION_NAME } from '../link/outbox-format.ts';
import { keyIdOf, loadPublicKey, publicPem } from '../snapshot/keys.ts';

export interface ExporterStation {
  readonly name: string;
  readonly publicKeyFile: string;
  readonly publicKey: KeyObject;
  /** Organization ids; each covers its sub-units too. */
  readonly units: readonly string[];
  /**
   * The station's audit.pub (PEM): its audit deliveries to the inbox must be signed with the
   * matching key. Without it the inbox refuses the station's deliveries.
   */
  readonly auditPublicKeyPem?: string;
}

// FHIR id: https://hl7.org/fhir/R4/datatypes.html#id
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function keyProblem(error: unknown): string {
  return error instanceof ReservError ? [error.message, ...error.details].join(' ') : String(error);
}

export function parseStations(
  raw: unknown,
  baseDir: string,
  problems: string[],
): ExporterStation[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(
      'stations must be a non-empty list of { "name", "publicKey", "units": [Organization ids] }',
    );
    return [];
  }
  const out: ExporterStation[] = [];
  const names = new Set<string>();
  const keyOwners = new Map<string, string>();
  for (const [i, s] of raw.entries()) {
    const where = `stations[${i}]`;
    if (!isObj(s)) {
      problems.push(`${where} must be an object with name, publicKey and units`);
      continue;
    }
    for (const key of Object.keys(s))
      if (!['name', 'publicKey', 'units', 'auditKey'].includes(key))
        problems.push(`${where}.${key} is not a known setting (name, publicKey, units, auditKey)`);
    const name = typeof s.name === 'string' ? s.name : undefined;
    if (name === undefined || !STATION_NAME.test(name))
      problems.push(
        `${where}.name must be 1-64 letters, digits, ".", "_" or "-" (it names the station's outbox folder and must match the name given at \`station init --name\`)`,
      );
    else if (names.has(name.toLowerCase()))
      problems.push(`${where}.name "${name}" is used by another station`);
    else names.add(name.toLowerCase());
    const label = name ?? where;
    const units: string[] = [];
    if (!Array.isArray(s.units) || s.units.length === 0)
      problems.push(`${where}.units must be a non-empty list of Organization ids`);
    else
      for (const u of s.units) {
        if (typeof u !== 'string' || !FHIR_ID.test(u))
          problems.push(`${where}.units: ${JSON.stringify(u)} is not an Organization id`);
        else if (!units.includes(u)) units.push(u);
      }
    const keyPath =
      typeof s.publicKey === 'string' && s.publicKey.trim() !== '' ? s.publicKey.trim() : undefined;
    let publicKey: KeyObject | undefined;
    if (keyPath === undefined)
      problems.push(`${where}.publicKey must name the station's station.pub file`);
    else
      try {
        publicKey = loadPublicKey(path.resolve(baseDir, keyPath), 'x25519');
        const id = keyIdOf(publicKey);
        const other = keyOwners.get(id);
        if (other !== undefined)
          problems.push(`${where}.publicKey is the same key as station ${other}'s`);
        else keyOwners.set(id, label);
      } catch (error) {
        problems.push(`${where}.publicKey: ${keyProblem(error)}`);
      }
    let auditPublicKeyPem: string | undefined;
    if (s.auditKey !== undefined) {
      const auditPath = typeof s.auditKey === 'string' ? s.auditKey.trim() : '';
      if (auditPath === '')
        problems.push(`${where}.auditKey must name a copy of the station's audit.pub file`);
      else
        try {
          auditPublicKeyPem = publicPem(loadPublicKey(path.resolve(baseDir, auditPath), 'ed25519'));
        } catch (error) {
          problems.push(`${where}.auditKey: ${keyProblem(error)}`);
        }
    }
    if (name !== undefined && publicKey !== undefined && keyPath !== undefined && units.length > 0)
      out.push(
        Object.freeze({
          name,
          publicKeyFile: path.resolve(baseDir, keyPath),
          publicKey,
          units: Object.freeze(units),
          ...(auditPublicKeyPem !== undefined ? { auditPublicKeyPem } : {}),
        }),
      );
  }
  return out;
}
