/**
 * The access side of a running station: its control database (accounts, emergency codes), its
 * audit log, and the in-memory sessions and sign-in throttle. Opened by `serve` and the demo.
 */
import { controlAnchor } from '../audit/anchor.ts';
import { openAuditLog, type AuditLog } from '../audit/audit-log.ts';
import { createSessionStore } from '../auth/sessions.ts';
import { createThrottle } from '../auth/throttle.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { op } from '../core/log.ts';
import type { AccessDeps } from '../web/access.ts';
import type { Station } from './station.ts';

export function stationAudit(station: Station, clock: Clock, log?: Logger): AuditLog {
  return openAuditLog({
    file: station.paths.audit,
    dbKey: station.dbKey,
    clock,
    anchor: controlAnchor(station.control),
    onAnchorProblem: (problem) => log?.warn('audit.anchor_problem', { problem: op(problem) }),
  });
}

export function stationAccess(
  station: Station,
  clock: Clock,
  log?: Logger,
): AccessDeps & { close(): void } {
  const audit = stationAudit(station, clock, log);
  return {
    control: station.control,
    audit,
    sessions: createSessionStore(),
    throttle: createThrottle(),
    close: () => audit.close(),
  };
}
