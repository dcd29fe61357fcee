/**
 * `GET /status`: the station's own state for everyone signed in (night staff asking "how old
 * is this?", the administrator asking "is the link up?"). It shows no patient data, so it is
 * not audited as a disclosure. The facts come from the control database (monitor/link-status.ts)
 * and the request's snapshot; the page only renders them.
 */
import type { Hono } from 'hono';
import { authorize } from '../../auth/policy.ts';
import { ReservError } from '../../core/errors.ts';
import { freshness } from '../../core/freshness.ts';
import {
  auditDeliveryState,
  importHistory,
  linkState,
  openRejection,
} from '../../monitor/link-status.ts';
import { agePoints } from '../../views/age-chart.ts';
import { audited } from '../access.ts';
import type { Env } from '../env.ts';
import { statusPage } from '../pages/status.ts';
import type { RecordDeps } from './records.ts';

const DAY = 24 * 3_600_000;
export const HISTORY_DAYS = 14;

export function registerStatusRoutes(app: Hono<Env>, deps: RecordDeps): void {
  app.get('/status', (c) => {
    if (!authorize(c.var.subject, 'status', 'view').allow) {
      audited(c, deps.access, [{ action: 'denied', outcome: 'denied', reason: 'status page' }]);
      throw new ReservError('ACCESS_DENIED');
    }
    const now = deps.clock.now();
    const control = deps.access.control;
    const to = now.getTime();
    const from = to - HISTORY_DAYS * DAY;
    const info = c.var.snapshot?.info;
    const imports = importHistory(control, new Date(from).toISOString());
    const importedAt = info
      ? ((control
          .prepare('SELECT imported_at FROM snapshot WHERE id = ?')
          .pluck()
          .get(info.snapshotId) as string | undefined) ?? null)
      : null;
    return c.html(
      statusPage(
        { ...c.var.frame, timeZone: deps.config.timeZone },
        {
          now: to,
          from,
          limits: deps.config.freshness,
          snapshot: info
            ? {
                snapshotId: info.snapshotId,
                sequence: info.sequence,
                transactionTime: info.transactionTime,
                importedAt,
                freshness: freshness(info.transactionTime, now, deps.config.freshness),
              }
            : null,
          linkConfigured: deps.config.link.from !== null,
          link: linkState(control),
          rejection: openRejection(control),
          inboxConfigured: deps.config.link.inbox !== null,
          audit: { ...auditDeliveryState(control), head: deps.access.audit.head().seq },
          points: agePoints(imports, from, to),
        },
      ),
    );
  });
}
