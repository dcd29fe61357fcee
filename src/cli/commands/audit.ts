/**
 * `reservjournal audit verify` and `audit export`.
 *
 * verify: walks the hash chain from the first entry and compares its end with the anchor in the
 * control database; exit 0 when intact, AUDIT_CHAIN_BROKEN naming the first bad entry otherwise.
 * export: FHIR AuditEvent NDJSON (IHE BALP) written to a temporary file and renamed into place,
 * plus `FILE.checkpoint.json`, the chain head signed with the station's audit key, so the
 * receiving archive can prove later that what it holds is what the station logged. The export
 * is itself a disclosure (the log names patients) and is audited before it is written.
 */
import {
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
  fsyncSync,
} from 'node:fs';
import path from 'node:path';
import { ensureAuditSigningKey, signCheckpoint } from '../../audit/checkpoint.ts';
import { exportAuditEvents } from '../../audit/export.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError, toReservError } from '../../core/errors.ts';
import { stationAudit } from '../../station/access.ts';
import { openStation } from '../../station/station.ts';
import { openEncrypted } from '../../store/db.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { stationConfig } from './station.ts';

const OPTIONS = {
  ...STATION_OPTIONS,
  out: { type: 'string' },
  since: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function runAudit(args: string[], io: CliIo): number {
  const [verb, ...rest] = args;
  const { values } = parse(rest, OPTIONS);
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  try {
    const audit = stationAudit(station, systemClock);
    try {
      if (verb === 'verify') {
        const result = audit.verify();
        if (!result.ok)
          throw new ReservError('AUDIT_CHAIN_BROKEN', {
            details: [`first bad entry: #${result.firstBadSeq}`, result.problem],
          });
        const text = `Audit log intact: ${result.entries} entries, head #${result.head.seq} ${result.head.hash.slice(0, 16)}.\n`;
        io.stdout(
          values.json
            ? JSON.stringify({ ok: true, entries: result.entries, head: result.head }) + '\n'
            : text,
        );
        return 0;
      }
      if (verb === 'export') {
        const out = path.resolve(io.cwd, requireOption(values.out, '--out'));
        const since = values.since;
        if (since !== undefined && Number.isNaN(Date.parse(since)))
          throw new ReservError('USAGE', { details: ['--since must be an ISO 8601 instant'] });
        // Exporting a log that does not verify would hand on altered data as if it were sound.
        const check = audit.verify();
        if (!check.ok)
          throw new ReservError('AUDIT_CHAIN_BROKEN', {
            details: [`first bad entry: #${check.firstBadSeq}`, check.problem],
          });
        const [exportEntry] = audit.append([
          {
            action: 'export',
            outcome: 'success',
            user: 'cli',
            role: 'auditor',
            reason: `audit export${since ? ` since ${since}` : ''}`,
          },
        ]);
        const key = ensureAuditSigningKey(station.paths);
        const db = openEncrypted(station.paths.audit, station.dbKey, { readonly: true });
        const temp = `${out}.partial`;
        let report;
        try {
          const fd = openSync(temp, 'w', 0o600);
          try {
            report = exportAuditEvents(db, {
              ...(since ? { since: new Date(since).toISOString() } : {}),
              stationName: station.row().name,
              writeLine: (line) => writeSync(fd, line + '\n'),
            });
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
          renameSync(temp, out);
        } catch (cause) {
          rmSync(temp, { force: true });
          throw toReservError(cause);
        } finally {
          db.close();
        }
        // The checkpoint names the last entry in the file, not the head now: a running station
        // may have logged more meanwhile, and the archive must not get a proof of entries it
        // does not hold. With nothing exported it names the export's own entry.
        const head = report.last ?? { seq: exportEntry!.seq, hash: exportEntry!.hash };
        const checkpoint = signCheckpoint(
          {
            seq: head.seq,
            hash: head.hash,
            at: systemClock.now().toISOString(),
            stationName: station.row().name,
          },
          key.privateKey,
        );
        writeFileSync(`${out}.checkpoint.json`, JSON.stringify(checkpoint, null, 2) + '\n', {
          mode: 0o600,
        });
        io.stdout(
          `Exported ${report.events} AuditEvent resources from ${report.entries} entries to ${out}\n` +
            `Signed checkpoint of entry #${head.seq} in ${out}.checkpoint.json (key ${key.keyId}, public key in audit.pub).\n`,
        );
        return 0;
      }
      throw new ReservError('USAGE', { details: ['use `reservjournal audit verify|export …`'] });
    } finally {
      audit.close();
    }
  } finally {
    station.close();
  }
}
