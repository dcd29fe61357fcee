/** The administrator's page: the station's state, without any patient data. */
import type { ChainHead } from '../../audit/entry.ts';
import type { SnapshotInfo } from '../../store/queries.ts';
import { formatDateTime } from '../../views/format.ts';
import { html } from '../html.ts';
import { barePage, type FrameContext } from '../layout.ts';

export function stationPage(
  ctx: FrameContext & { readonly timeZone: string },
  facts: {
    snapshot: SnapshotInfo | undefined;
    sessions: number;
    users: number;
    auditHead: ChainHead;
  },
) {
  const { m } = ctx;
  const s = facts.snapshot;
  return barePage(
    ctx,
    m.stationTitle,
    html`<h1>${m.stationTitle}</h1>
      <dl class="identity">
        <dt>${m.stationSnapshot}</dt>
        <dd>
          ${
            s
              ? html`${s.snapshotId} (nr ${s.sequence}), ${m.dataAsOf.toLowerCase()}
                ${formatDateTime(s.transactionTime, ctx.timeZone)}`
              : '–'
          }
        </dd>
        <dt>${m.stationSessions}</dt>
        <dd>${facts.sessions}</dd>
        <dt>${m.stationUsers}</dt>
        <dd>${facts.users}</dd>
        <dt>${m.stationAuditHead}</dt>
        <dd>${facts.auditHead.seq}: ${facts.auditHead.hash.slice(0, 16)}</dd>
      </dl>
      <p><a href="/jour">${m.oncallLink}</a></p>
      <p><a href="/status">${m.statusBannerLink}</a></p>`,
  );
}
