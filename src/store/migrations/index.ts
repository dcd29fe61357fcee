/**
 * Numbered, additive-only migrations. A migration is never edited once released: change the
 * layout by adding the next number. `PRAGMA user_version` records the last one applied; a test
 * compares the resulting schema with a reviewed snapshot (test/__snapshots__).
 */
import { sql as m0001 } from './0001-initial.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial', sql: m0001 }];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
