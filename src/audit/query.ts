/**
 * The log reviewer's query. Entries flagged `emergency` or `break-glass` come first (they must be
 * justified and reviewed, domain brief §7), then everything else; within each group the newest
 * first. "Newest" is by `seq`, not `at`: the order of writing cannot jump back when the clock
 * does (reliability D6).
 *
 * `from` and `to` compare with `at` as text, which orders like time because `at` is always UTC
 * ISO 8601 with milliseconds: `from` is inclusive, `to` exclusive, and a bare date works
 * ("2026-11-27" to "2026-11-28" is that day, UTC).
 */
import type { Db } from '../store/db.ts';
import { ENTRY_COLUMNS, toEntry, type AuditEntry, type AuditRow } from './entry.ts';
import type { AuditAction } from './vocabulary.ts';

export interface AuditQuery {
  readonly user?: string;
  readonly patient?: string;
  /**
   * A personnummer in any common form (10 or 12 digits, with or without separator); matched on
   * its last ten digits, the part every form shares.
   */
  readonly patientIdent?: string;
  readonly unit?: string;
  readonly from?: string;
  readonly to?: string;
  readonly actions?: readonly AuditAction[];
  /** At most this many entries (default 500, at most 10,000). */
  readonly limit?: number;
}

export const DEFAULT_QUERY_LIMIT = 500;
export const MAX_QUERY_LIMIT = 10_000;

export function queryAuditEntries(db: Db, filters: AuditQuery = {}): AuditEntry[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq('user', filters.user);
  eq('patient', filters.patient);
  eq('unit', filters.unit);
  if (filters.patientIdent !== undefined) {
    const digits = filters.patientIdent.replace(/\D/g, '');
    where.push(
      "substr(replace(replace(replace(patient_ident, '-', ''), '+', ''), ' ', ''), -10) = ?",
    );
    params.push(digits.slice(-10));
  }
  if (filters.from !== undefined) {
    where.push('at >= ?');
    params.push(filters.from);
  }
  if (filters.to !== undefined) {
    where.push('at < ?');
    params.push(filters.to);
  }
  if (filters.actions !== undefined) {
    if (filters.actions.length === 0) return [];
    where.push(`action IN (${filters.actions.map(() => '?').join(', ')})`);
    params.push(...filters.actions);
  }
  const requested = filters.limit ?? DEFAULT_QUERY_LIMIT;
  const limit = Number.isFinite(requested)
    ? Math.min(Math.max(Math.trunc(requested), 0), MAX_QUERY_LIMIT)
    : DEFAULT_QUERY_LIMIT;
  params.push(limit);
  const sql = `SELECT ${ENTRY_COLUMNS} FROM audit_entry
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY (flags IS NOT NULL) DESC, seq DESC
    LIMIT ?`;
  return (db.prepare(sql).all(...params) as AuditRow[]).map(toEntry);
}
