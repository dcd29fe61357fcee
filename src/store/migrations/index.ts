/**
 * Numbered, additive-only migrations. A migration is never edited once released: change the
 * layout by adding the next number. `PRAGMA user_version` records the last one applied; a test
 * compares the resulting schema with a reviewed snapshot (test/__snapshots__).
 */
import { sql as m0001 } from './0001-initial.ts';
import { sql as m0002 } from './0002-raw-blocks.ts';
import { sql as c0001 } from './control-0001.ts';
import { sql as c0002 } from './control-0002.ts';
import { sql as c0003 } from './control-0003.ts';
import { sql as c0004 } from './control-0004.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Migrations of a snapshot database. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: m0001 },
  { version: 2, name: 'raw-blocks', sql: m0002 },
];

/** Migrations of the station's control database. */
export const CONTROL_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'control', sql: c0001 },
  { version: 2, name: 'access', sql: c0002 },
  { version: 3, name: 'link', sql: c0003 },
  { version: 4, name: 'monitoring', sql: c0004 },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
