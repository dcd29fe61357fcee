/**
 * The anchor: the chain head as last written, kept outside the audit database (in the control
 * database's `audit_anchor` row, control migration 0002). Cutting entries off the end of the log
 * leaves a chain that verifies on its own; only a copy of the head kept elsewhere shows that
 * something is missing. The audit log writes the anchor just after each commit (audit-log.ts).
 */
import type { Db } from '../store/db.ts';
import type { ChainHead } from './entry.ts';

export interface AuditAnchor {
  read(): ChainHead | undefined;
  write(head: ChainHead): void;
}

/** The anchor stored in the station's control database. */
export function controlAnchor(control: Db): AuditAnchor {
  const select = control.prepare('SELECT seq, hash FROM audit_anchor WHERE singleton = 1');
  const upsert = control.prepare(
    `INSERT INTO audit_anchor (singleton, seq, hash) VALUES (1, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
  );
  return {
    read: () => {
      const row = select.get() as { seq: number; hash: string } | undefined;
      return row === undefined ? undefined : { seq: row.seq, hash: row.hash };
    },
    write: (head) => {
      upsert.run(head.seq, head.hash);
    },
  };
}

/** An anchor held in memory, for tools that verify a copied log against a known head. */
export function memoryAnchor(initial?: ChainHead): AuditAnchor {
  let head = initial;
  return {
    read: () => head,
    write: (h) => {
      head = { seq: h.seq, hash: h.hash };
    },
  };
}
