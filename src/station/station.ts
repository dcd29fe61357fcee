/**
 * A station on disk: its key pair, its database key, its control database and trust list.
 *
 * `initStation` creates them once; `openStation` opens them for an import, a status read or the
 * web server. Private keys and the database key are written with owner-only permissions
 * (0600, in a 0700 folder); on Windows the folder's ACL must be set by the installer instead
 * (docs/operations.md).
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../core/clock.ts';
import { ensureAuditSigningKey } from '../audit/checkpoint.ts';
import { ReservError } from '../core/errors.ts';
import { migrate, openEncrypted, type Db } from '../store/db.ts';
import { CONTROL_MIGRATIONS } from '../store/migrations/index.ts';
import { stationPaths, type StationPaths } from '../store/station-files.ts';
import type { Environment } from '../snapshot/format.ts';
import {
  generateKeyPair,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  parsePublicKey,
  publicPem,
  writePrivateKey,
  writePublicKey,
} from '../snapshot/keys.ts';

export interface StationRow {
  readonly name: string;
  readonly environment: Environment;
  readonly keyId: string;
  readonly createdAt: string;
  readonly lastAcceptedSequence: number;
  readonly activeSnapshotId: string | null;
}

export interface Station {
  readonly paths: StationPaths;
  readonly control: Db;
  readonly dbKey: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  row(): StationRow;
  close(): void;
}

export interface InitOptions {
  readonly dataDir: string;
  readonly trustExporterPem: string;
  readonly name?: string;
  readonly environment?: Environment;
  readonly clock: Clock;
}

export function initStation(options: InitOptions): { keyId: string; trustedKeyId: string } {
  const paths = stationPaths(options.dataDir);
  if (existsSync(paths.control) || existsSync(paths.stationKey))
    throw new ReservError('STATION_EXISTS', { details: [`data directory: ${options.dataDir}`] });
  const exporter = parsePublicKey(options.trustExporterPem, 'ed25519', '--trust-exporter');
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // A folder that existed before keeps its mode; a station's folder is its owner's alone.
    chmodSync(options.dataDir, 0o700);
    mkdirSync(paths.keysDir, { recursive: true, mode: 0o700 });
    mkdirSync(paths.snapshotsDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ReservError('DATA_DIR_UNUSABLE', { details: [`folder: ${options.dataDir}`], cause });
  }
  const pair = generateKeyPair('x25519');
  writePrivateKey(paths.stationKey, pair.privatePem);
  writePublicKey(paths.stationPub, pair.publicPem);
  const dbKey = randomBytes(32).toString('hex');
  writeFileSync(paths.dbKey, dbKey + '\n', { mode: 0o600, flag: 'wx' });
  const control = openEncrypted(paths.control, dbKey, { create: true });
  try {
    control.pragma('journal_mode = WAL');
    migrate(control, CONTROL_MIGRATIONS);
    const now = options.clock.now().toISOString();
    const trustedKeyId = keyIdOf(exporter);
    control.transaction(() => {
      control
        .prepare(
          'INSERT INTO station (singleton, name, environment, key_id, created_at) VALUES (1, ?, ?, ?, ?)',
        )
        .run(options.name ?? pair.keyId, options.environment ?? 'prod', pair.keyId, now);
      control
        .prepare('INSERT INTO trusted_key (key_id, public_pem, added_at) VALUES (?, ?, ?)')
        .run(trustedKeyId, publicPem(exporter), now);
    })();
    // The audit signing key too, so that audit.pub can be copied to the exporter (which checks
    // the station's audit deliveries with it) right after set-up, with the station key.
    ensureAuditSigningKey(paths);
    return { keyId: pair.keyId, trustedKeyId };
  } finally {
    control.close();
  }
}

export function readDbKey(paths: StationPaths): string {
  try {
    return readFileSync(paths.dbKey, 'utf8').trim();
  } catch (cause) {
    throw new ReservError('STORE_KEY_WRONG', { details: [`cannot read ${paths.dbKey}`], cause });
  }
}

export function openStation(dataDir: string, options: { readonly?: boolean } = {}): Station {
  const paths = stationPaths(dataDir);
  if (!existsSync(paths.control))
    throw new ReservError('STATION_NOT_INITIALISED', { details: [`data directory: ${dataDir}`] });
  const dbKey = readDbKey(paths);
  const control = openEncrypted(paths.control, dbKey, { readonly: options.readonly ?? false });
  if (!options.readonly) {
    control.pragma('journal_mode = WAL');
    migrate(control, CONTROL_MIGRATIONS);
  }
  control.pragma('busy_timeout = 5000');
  const privateKey = loadPrivateKey(paths.stationKey, 'x25519');
  const publicKey = loadPublicKey(paths.stationPub, 'x25519');
  const stmt = control.prepare(
    `SELECT name, environment, key_id AS keyId, created_at AS createdAt,
            last_accepted_sequence AS lastAcceptedSequence, active_snapshot_id AS activeSnapshotId
       FROM station WHERE singleton = 1`,
  );
  return {
    paths,
    control,
    dbKey,
    privateKey,
    publicKey,
    row: () => stmt.get() as StationRow,
    close: () => control.close(),
  };
}

export function trustedKeys(control: Db): { keyId: string; key: KeyObject }[] {
  const rows = control
    .prepare('SELECT key_id AS keyId, public_pem AS pem FROM trusted_key WHERE revoked_at IS NULL')
    .all() as {
    keyId: string;
    pem: string;
  }[];
  return rows.map((r) => ({
    keyId: r.keyId,
    key: parsePublicKey(r.pem, 'ed25519', `trusted key ${r.keyId}`),
  }));
}

/**
 * Stop trusting an exporter key: snapshots signed with it are rejected from now on. The last
 * trusted key cannot be revoked: a station that trusts nobody refuses every snapshot and goes
 * stale without anyone having meant it (rotate by adding the new key in the same command).
 */
export function revokeTrustedKey(
  control: Db,
  keyId: string,
  at: Date,
): 'revoked' | 'unknown' | 'last' {
  return control.transaction(() => {
    const trusted = control
      .prepare('SELECT key_id FROM trusted_key WHERE revoked_at IS NULL')
      .pluck()
      .all() as string[];
    if (!trusted.includes(keyId)) return 'unknown';
    if (trusted.length === 1) return 'last';
    control
      .prepare('UPDATE trusted_key SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL')
      .run(at.toISOString(), keyId);
    return 'revoked';
  })();
}

/** Trust another exporter key (for a key rotation: trust the new key, later revoke the old). */
export function addTrustedKey(control: Db, pem: string, at: Date): string {
  const key = parsePublicKey(pem, 'ed25519', 'exporter key');
  const keyId = keyIdOf(key);
  control
    .prepare(
      `INSERT INTO trusted_key (key_id, public_pem, added_at) VALUES (?, ?, ?)
       ON CONFLICT (key_id) DO UPDATE SET revoked_at = NULL`,
    )
    .run(keyId, publicPem(key), at.toISOString());
  return keyId;
}
