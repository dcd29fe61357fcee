/**
 * Validating the `source` object of the exporter's JSON config into a SourceSpec.
 *
 * Every problem is collected (not just the first) as a sentence an operator can act on, naming the
 * setting by its path (`source.auth.tokenFile`). Relative paths are resolved against `baseDir` (the
 * folder of the config file), so a config works from any working directory. Secrets are refused
 * inline: a config file is copied, mailed and versioned, a token file can be locked down.
 *
 * `since` is refused here on purpose: the exporter builds complete copies, and a snapshot built
 * from an incremental pull would look complete to the night shift while missing everyone whose
 * record did not change. Only `reservjournal pull --since` asks for increments.
 */
import path from 'node:path';
import { R4_RESOURCE_TYPES } from '../core/fhir-resource-types.ts';
import type { SourceAuth, SourceSpec } from './source.ts';

type Obj = Record<string, unknown>;

const KINDS = ['bulk-export', 'rest-search', 'ndjson-folder', 'bundle-folder'] as const;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
// FHIR id: https://hl7.org/fhir/R4/datatypes.html#id
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KNOWN: Record<(typeof KINDS)[number], readonly string[]> = {
  'bulk-export': [
    'kind',
    'base',
    'auth',
    'types',
    'level',
    'group',
    'allowPartial',
    'requestTimeoutSeconds',
    'exportTimeoutMinutes',
  ],
  'rest-search': ['kind', 'base', 'auth', 'types', 'pageSize', 'maxPages', 'requestTimeoutSeconds'],
  'ndjson-folder': ['kind', 'dir'],
  'bundle-folder': ['kind', 'dir'],
};

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * A FHIR base URL must be http(s) with no query or fragment; plain http only on loopback, because
 * the token and the whole journal would otherwise cross the network in clear text.
 */
export function checkFhirBase(
  value: unknown,
  where: string,
  problems: string[],
): string | undefined {
  const raw = text(value);
  if (raw === undefined) {
    problems.push(`${where} must be the FHIR server's base URL, e.g. https://fhir.example.se/fhir`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(
      `${where} is not a URL: give the FHIR base URL, e.g. https://fhir.example.se/fhir`,
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${where} must start with https://`);
    return undefined;
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    problems.push(`${where} must use https:// (plain http is only allowed to this machine)`);
    return undefined;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push(`${where} must be a plain base URL without query, fragment or user name`);
    return undefined;
  }
  return url.href.replace(/\/+$/, '');
}

/** Resource type names must be R4 types: a typo would silently leave a type out of every copy. */
export function checkTypes(
  value: unknown,
  where: string,
  problems: string[],
): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where} must be a non-empty list of FHIR resource types, e.g. ["Patient"]`);
    return undefined;
  }
  const out: string[] = [];
  for (const t of value) {
    if (typeof t !== 'string' || !R4_RESOURCE_TYPES.has(t))
      problems.push(`${where}: ${JSON.stringify(t)} is not a FHIR R4 resource type`);
    else if (!out.includes(t)) out.push(t);
  }
  return out;
}

function positiveInt(
  o: Obj,
  key: string,
  where: string,
  max: number,
  problems: string[],
): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    problems.push(`${where}.${key} must be a whole number from 1 to ${max}`);
    return undefined;
  }
  return v;
}

function parseAuth(
  value: unknown,
  where: string,
  baseDir: string,
  problems: string[],
): SourceAuth | undefined {
  if (value === undefined) return undefined;
  if (!isObj(value)) {
    problems.push(`${where} must be an object with a kind: none, bearer or smart-backend`);
    return undefined;
  }
  const known = (keys: string[]) => {
    for (const k of Object.keys(value))
      if (!keys.includes(k)) {
        if (/token|secret|password|key$/i.test(k) && typeof value[k] === 'string')
          problems.push(
            `${where}.${k}: secrets are never written into the config; name a file (tokenFile, privateKeyFile) or an environment variable (tokenEnv)`,
          );
        else problems.push(`${where}.${k} is not a known setting`);
      }
  };
  switch (value.kind) {
    case 'none':
      known(['kind']);
      return { kind: 'none' };
    case 'bearer': {
      known(['kind', 'tokenFile', 'tokenEnv']);
      const file = text(value.tokenFile);
      const env = text(value.tokenEnv);
      if ((file === undefined) === (env === undefined)) {
        problems.push(
          `${where} (bearer) needs exactly one of tokenFile (a file holding the token) or tokenEnv (an environment variable's name)`,
        );
        return undefined;
      }
      if (env !== undefined && !ENV_NAME.test(env)) {
        problems.push(`${where}.tokenEnv must be the name of an environment variable`);
        return undefined;
      }
      return file !== undefined
        ? { kind: 'bearer', tokenFile: path.resolve(baseDir, file) }
        : { kind: 'bearer', tokenEnv: env! };
    }
    case 'smart-backend': {
      known(['kind', 'clientId', 'privateKeyFile', 'keyId', 'tokenUrl', 'scope']);
      const clientId = text(value.clientId);
      const keyFile = text(value.privateKeyFile);
      const keyId = text(value.keyId);
      const scope = value.scope === undefined ? undefined : text(value.scope);
      if (clientId === undefined)
        problems.push(`${where}.clientId must be the client id the FHIR server registered`);
      if (keyFile === undefined)
        problems.push(`${where}.privateKeyFile must be the PEM file of the client's private key`);
      if (keyId === undefined)
        problems.push(`${where}.keyId must be the kid registered with the server for that key`);
      if (value.scope !== undefined && scope === undefined)
        problems.push(`${where}.scope must be text such as "system/*.read"`);
      let tokenUrl: string | undefined;
      if (value.tokenUrl !== undefined) {
        const before = problems.length;
        tokenUrl = checkFhirBase(value.tokenUrl, `${where}.tokenUrl`, problems);
        if (problems.length > before) return undefined;
      }
      if (clientId === undefined || keyFile === undefined || keyId === undefined) return undefined;
      return {
        kind: 'smart-backend',
        clientId,
        privateKeyFile: path.resolve(baseDir, keyFile),
        keyId,
        ...(tokenUrl !== undefined && { tokenUrl }),
        ...(scope !== undefined && { scope }),
      };
    }
    default:
      problems.push(`${where}.kind must be none, bearer or smart-backend`);
      return undefined;
  }
}

/** Validate `value` (the config's `source` object); returns every problem found. */
export function parseSourceSpec(
  value: unknown,
  baseDir: string,
  where = 'source',
): { spec?: SourceSpec; problems: string[] } {
  const problems: string[] = [];
  if (!isObj(value)) {
    problems.push(`${where} must be an object with a kind: ${KINDS.join(', ')}`);
    return { problems };
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    problems.push(`${where}.kind must be one of ${KINDS.join(', ')}`);
    return { problems };
  }
  const k = kind as (typeof KINDS)[number];
  for (const key of Object.keys(value)) {
    if (key === 'since')
      problems.push(
        `${where}.since is not allowed: every snapshot must be a complete copy (use \`reservjournal pull --since\` for increments)`,
      );
    else if (/token|secret|password/i.test(key))
      problems.push(`${where}.${key}: secrets belong in ${where}.auth, named by file or variable`);
    else if (!KNOWN[k].includes(key))
      problems.push(`${where}.${key} is not a known setting for ${k}`);
  }

  if (k === 'ndjson-folder' || k === 'bundle-folder') {
    const dir = text(value.dir);
    if (dir === undefined) problems.push(`${where}.dir must be the folder to read`);
    if (problems.length > 0) return { problems };
    return { spec: { kind: k, dir: path.resolve(baseDir, dir!) }, problems };
  }

  const base = checkFhirBase(value.base, `${where}.base`, problems);
  const auth = parseAuth(value.auth, `${where}.auth`, baseDir, problems);
  const types = checkTypes(value.types, `${where}.types`, problems);
  const requestTimeoutSeconds = positiveInt(value, 'requestTimeoutSeconds', where, 3600, problems);

  if (k === 'rest-search') {
    const pageSize = positiveInt(value, 'pageSize', where, 1000, problems);
    const maxPages = positiveInt(value, 'maxPages', where, 1_000_000, problems);
    if (problems.length > 0) return { problems };
    return {
      spec: {
        kind: k,
        base: base!,
        ...(auth && { auth }),
        ...(types && { types }),
        ...(pageSize !== undefined && { pageSize }),
        ...(maxPages !== undefined && { maxPages }),
        ...(requestTimeoutSeconds !== undefined && { requestTimeoutSeconds }),
      },
      problems,
    };
  }

  const level = value.level ?? (value.group !== undefined ? 'group' : 'system');
  if (level !== 'system' && level !== 'patient' && level !== 'group')
    problems.push(`${where}.level must be system, patient or group`);
  const group = text(value.group);
  if (level === 'group' && (group === undefined || !FHIR_ID.test(group)))
    problems.push(
      `${where}.group must be the id of the Group to export (letters, digits, - and .)`,
    );
  if (level !== 'group' && value.group !== undefined)
    problems.push(`${where}.group is only used with level "group"`);
  if (value.allowPartial !== undefined && typeof value.allowPartial !== 'boolean')
    problems.push(`${where}.allowPartial must be true or false`);
  const exportTimeoutMinutes = positiveInt(value, 'exportTimeoutMinutes', where, 24 * 60, problems);
  if (problems.length > 0) return { problems };
  return {
    spec: {
      kind: 'bulk-export',
      base: base!,
      level: level as 'system' | 'patient' | 'group',
      ...(level === 'group' && { group: group! }),
      ...(auth && { auth }),
      ...(types && { types }),
      ...(value.allowPartial === true && { allowPartial: true }),
      ...(requestTimeoutSeconds !== undefined && { requestTimeoutSeconds }),
      ...(exportTimeoutMinutes !== undefined && { exportTimeoutMinutes }),
    },
    problems,
  };
}
