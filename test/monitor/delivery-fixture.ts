/**
 * A station with an audit log and a real inbox server on loopback, shared by the delivery and
 * inbox tests: the station `alpha` with its audit key, the inbox trusting its audit.pub.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AuditLog } from '../../src/audit/audit-log.ts';
import { ensureAuditSigningKey } from '../../src/audit/checkpoint.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { startInbox, type RunningInbox } from '../../src/exporter/inbox.ts';
import { auditDeliveryState } from '../../src/monitor/link-status.ts';
import { stationAudit } from '../../src/station/access.ts';
import { openStation, type Station } from '../../src/station/station.ts';
import { mutableClock } from '../helpers/access.ts';
import { makeExporter, makeStation } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

export interface DeliveryFixture {
  readonly root: string;
  readonly inboxDir: string;
  readonly clock: ReturnType<typeof mutableClock>;
  readonly deps: { clock: ReturnType<typeof mutableClock>; log: typeof silentLogger };
  station: Station;
  audit: AuditLog;
  inbox: RunningInbox;
  auditPem: string;
  readonly configWith: (inboxAt: string) => Config;
  readonly delivered: () => number;
  /** The audit files of `alpha` in the inbox, sorted. */
  readonly files: () => string[];
  readonly logSignIns: (count: number) => void;
}

export function deliveryFixture(prefix: string): DeliveryFixture {
  const root = tempDir(prefix);
  const clock = mutableClock('2026-12-01T08:00:00.000Z');
  const f = {
    root,
    inboxDir: path.join(root, 'inbox'),
    clock,
    deps: { clock, log: silentLogger },
    configWith: (inboxAt: string) =>
      loadConfig({
        cwd: root,
        env: {},
        flags: { dataDir: f.station.paths.dataDir, link: { inbox: inboxAt } },
      }),
    delivered: () => auditDeliveryState(f.station.control).deliveredThrough,
    files: () => readdirSync(path.join(f.inboxDir, 'alpha', 'audit')).sort(),
    logSignIns: (count: number) => {
      clock.advance(1000);
      f.audit.append(
        Array.from({ length: count }, () => ({
          action: 'sign-in' as const,
          outcome: 'success' as const,
          user: 'nurse',
          role: 'nurse',
        })),
      );
    },
  } as DeliveryFixture;
  beforeAll(async () => {
    const exporter = makeExporter(path.join(root, 'exporter'));
    const dir = makeStation(path.join(root, 'station'), exporter, { name: 'alpha' });
    f.station = openStation(dir.dataDir);
    f.audit = stationAudit(f.station, clock);
    ensureAuditSigningKey(f.station.paths);
    f.auditPem = readFileSync(f.station.paths.auditPub, 'utf8');
    mkdirSync(f.inboxDir);
    f.inbox = await startInbox(
      {
        host: '127.0.0.1',
        port: 0,
        dir: f.inboxDir,
        stations: [{ name: 'alpha', auditPublicKeyPem: f.auditPem }],
      },
      f.deps,
    );
  });
  afterAll(async () => {
    await f.inbox?.close();
    f.audit?.close();
    f.station?.close();
  });
  return f;
}
