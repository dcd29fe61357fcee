/**
 * Exporting the audit log as FHIR R4 AuditEvent NDJSON (one resource a line), for the region's
 * log archive or a patient's log extract. Entries are read with a statement iterator in `seq`
 * order and written one line at a time, so memory stays flat however long the log.
 *
 * `since` is inclusive (`at >= since`): entries appended in the same millisecond as a previous
 * export's cut-off are sent again rather than lost; the AuditEvent ids (`audit-<seq>`) let the
 * receiver drop the repeats. The result names the last entry exported: verify the chain, export,
 * then sign a checkpoint of that head (checkpoint.ts) so the next verification can start there.
 */
import type { Db } from '../store/db.ts';
import { ENTRY_COLUMNS, toEntry, type AuditRow, type ChainHead } from './entry.ts';
import { toAuditEvents } from './fhir-audit-event.ts';

export interface ExportOptions {
  /** Only entries at or after this instant (UTC ISO 8601, compared as text). */
  readonly since?: string;
  /** Shown as the AuditEvent source (observer and site). */
  readonly stationName: string;
  readonly writeLine: (line: string) => void;
}

export interface ExportReport {
  /** Audit entries read. */
  readonly entries: number;
  /** AuditEvent lines written (a search naming several patients gives one per patient). */
  readonly events: number;
  /** The last entry exported, or undefined when there was none. */
  readonly last: ChainHead | undefined;
}

export function exportAuditEvents(db: Db, options: ExportOptions): ExportReport {
  const rows = (
    options.since === undefined
      ? db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entry ORDER BY seq`).iterate()
      : db
          .prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE at >= ? ORDER BY seq`)
          .iterate(options.since)
  ) as IterableIterator<AuditRow>;
  let entries = 0;
  let events = 0;
  let last: ChainHead | undefined;
  for (const row of rows) {
    for (const event of toAuditEvents(toEntry(row), options.stationName)) {
      options.writeLine(JSON.stringify(event));
      events++;
    }
    entries++;
    last = { seq: row.seq, hash: row.hash };
  }
  return { entries, events, last };
}
