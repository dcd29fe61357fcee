/**
 * The status page: the active copy and its age, the link to the exporter, the delivery of the
 * access log, and the age of the copy over the last 14 days as a chart with its text summary.
 * No patient data. Codes are shown with their next step, in the reader's language.
 */
import { ERRORS, type ErrorCode } from '../../core/errors.ts';
import type { Freshness } from '../../core/freshness.ts';
import { errorTexts, isLang, type Messages } from '../../i18n/messages.ts';
import type {
  AuditDeliveryState,
  LinkState,
  Rejection,
  SyncEventRow,
} from '../../monitor/link-status.ts';
import { ageChartSvg, summariseAges, type AgePoint } from '../../views/age-chart.ts';
import { formatAge, formatDateTime } from '../../views/format.ts';
import { localDateTime } from '../../views/local-time.ts';
import { html, raw } from '../html.ts';
import { barePage, page, type FrameContext } from '../layout.ts';

export interface StatusFacts {
  readonly now: number;
  readonly from: number;
  readonly limits: { readonly warningHours: number; readonly criticalHours: number };
  readonly snapshot: {
    readonly snapshotId: string;
    readonly sequence: number;
    readonly transactionTime: string;
    readonly importedAt: string | null;
    readonly freshness: Freshness;
  } | null;
  readonly linkConfigured: boolean;
  readonly link: LinkState;
  readonly rejection: Rejection | null;
  readonly inboxConfigured: boolean;
  readonly audit: AuditDeliveryState & { readonly head: number };
  readonly points: readonly AgePoint[];
}

type Ctx = FrameContext & { readonly timeZone: string };

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, key: string) =>
    values[key] === undefined ? all : String(values[key]),
  );

const one = (hours: number) => (Math.round(hours * 10) / 10).toLocaleString('sv-SE');

/** The next step for a stable code, in the reader's language where the catalogue has it. */
function nextStep(m: Messages, code: string): string {
  const steps = m.statusNextSteps as Record<string, string>;
  if (steps[code]) return steps[code];
  const lang = isLang(m.lang) ? m.lang : 'sv';
  return (
    errorTexts(lang)[code]?.hint ??
    (code in ERRORS ? ERRORS[code as ErrorCode].hint : m.statusNextSteps.other)
  );
}

function when(ctx: Ctx, at: string | null | undefined): string {
  return at ? formatDateTime(at, ctx.timeZone) : ctx.m.statusNever;
}

function snapshotSection(ctx: Ctx, facts: StatusFacts) {
  const { m } = ctx;
  const s = facts.snapshot;
  if (s === null)
    return html`<section aria-labelledby="status-copy">
      <h2 id="status-copy">${m.statusSnapshotHeading}</h2>
      <p>${m.statusNoSnapshot}</p>
    </section>`;
  return html`<section aria-labelledby="status-copy">
    <h2 id="status-copy">${m.statusSnapshotHeading}</h2>
    <dl class="identity" data-testid="status-copy">
      <dt>${m.statusSequence}</dt>
      <dd>${s.sequence} <span class="muted">(${s.snapshotId})</span></dd>
      <dt>${m.dataAsOf}</dt>
      <dd>
        <time datetime="${s.transactionTime}"
          >${formatDateTime(s.transactionTime, ctx.timeZone)}</time
        >
      </dd>
      <dt>${m.statusAge}</dt>
      <dd>${formatAge(s.freshness.ageMs, m)}</dd>
      <dt>${m.statusFreshnessLabel}</dt>
      <dd class="${s.freshness.state === 'ok' ? '' : 'flagged'}">
        ${m.statusFreshness[s.freshness.state]}
      </dd>
      ${
        s.importedAt
          ? html`<dt>${m.statusImportedAt}</dt>
              <dd>${when(ctx, s.importedAt)}</dd>`
          : ''
      }
    </dl>
  </section>`;
}

function attemptFacts(ctx: Ctx, attempt: SyncEventRow) {
  const { m } = ctx;
  return html`<dt>${m.statusLastAttempt}</dt>
    <dd>${when(ctx, attempt.at)}</dd>
    <dt>${m.statusOutcome}</dt>
    <dd>${m.statusOutcomes[attempt.outcome]}</dd>
    ${
      attempt.code
        ? html`<dt>${m.statusErrorCode}</dt>
            <dd>${attempt.code}</dd>
            <dt>${m.statusNextStep}</dt>
            <dd>${nextStep(m, attempt.code)}</dd>`
        : ''
    }`;
}

function linkSection(ctx: Ctx, facts: StatusFacts) {
  const { m } = ctx;
  const { lastAttempt, lastSuccess, lastHeartbeat } = facts.link;
  const down = lastAttempt !== null && facts.link.failingSince !== null;
  const headline = !facts.linkConfigured
    ? m.statusLinkManual
    : lastSuccess === null
      ? m.statusLinkNeverUp
      : down
        ? fill(m.statusLinkDown, { time: formatDateTime(lastSuccess.at, ctx.timeZone) })
        : m.statusLinkUp;
  const heartbeat = lastHeartbeat?.exporterHeartbeatAt;
  return html`<section aria-labelledby="status-link">
    <h2 id="status-link">${m.statusLinkHeading}</h2>
    <p
      class="${down || (facts.linkConfigured && lastSuccess === null) ? 'flagged' : ''}"
      data-testid="status-link"
    >
      ${headline}
    </p>
    ${
      lastAttempt
        ? html`<dl class="identity">
            ${attemptFacts(ctx, lastAttempt)}
            <dt>${m.statusLastSuccess}</dt>
            <dd>${when(ctx, lastSuccess?.at)}</dd>
            <dt>${m.statusHeartbeat}</dt>
            <dd>
              ${
                heartbeat
                  ? html`${formatDateTime(heartbeat, ctx.timeZone)}
                    (${formatAge(facts.now - Date.parse(heartbeat), m)})`
                  : m.statusNever
              }
            </dd>
          </dl>`
        : ''
    }
    ${
      facts.rejection
        ? html`<h3>${m.statusRejectedHeading}</h3>
            <p class="flagged" data-testid="status-rejected">
              ${fill(m.statusRejected, { time: formatDateTime(facts.rejection.at, ctx.timeZone) })}
            </p>
            ${
              facts.rejection.code
                ? html`<dl class="identity">
                    <dt>${m.statusErrorCode}</dt>
                    <dd>${facts.rejection.code}</dd>
                    <dt>${m.statusNextStep}</dt>
                    <dd>${nextStep(m, facts.rejection.code)}</dd>
                  </dl>`
                : ''
            }`
        : ''
    }
  </section>`;
}

function auditSection(ctx: Ctx, facts: StatusFacts) {
  const { m } = ctx;
  const a = facts.audit;
  return html`<section aria-labelledby="status-audit">
    <h2 id="status-audit">${m.statusAuditHeading}</h2>
    ${
      facts.inboxConfigured
        ? html`<p data-testid="status-audit">
              ${fill(m.statusAuditDelivered, { through: a.deliveredThrough, head: a.head })}
            </p>
            <dl class="identity">
              <dt>${m.statusAuditLastSuccess}</dt>
              <dd>${when(ctx, a.lastSuccessAt)}</dd>
              ${
                a.lastError
                  ? html`<dt>${m.statusAuditLastError}</dt>
                      <dd>${a.lastError.split(':')[0]}</dd>
                      <dt>${m.statusNextStep}</dt>
                      <dd>${nextStep(m, 'AUDIT_DELIVERY_FAILED')}</dd>`
                  : ''
              }
            </dl>`
        : html`<p>${m.statusAuditNoInbox}</p>`
    }
  </section>`;
}

function historySection(ctx: Ctx, facts: StatusFacts) {
  const { m } = ctx;
  const summary = summariseAges(facts.points, facts.limits, facts.from);
  const svg = ageChartSvg({
    points: facts.points,
    from: facts.from,
    to: facts.now,
    warningHours: facts.limits.warningHours,
    criticalHours: facts.limits.criticalHours,
    title: m.statusChartTitle,
    titleId: 'age-chart-title',
    labels: {
      warning: m.statusChartWarning,
      critical: m.statusChartCritical,
      hours: m.statusHours,
    },
    tickLabel: (at) => localDateTime(new Date(at), ctx.timeZone).date.slice(5),
  });
  return html`<section aria-labelledby="status-history">
    <h2 id="status-history">${m.statusHistoryHeading}</h2>
    <figure>
      ${raw(svg)}
      <figcaption data-testid="age-summary">
        ${
          summary.currentHours === null
            ? m.statusSummaryEmpty
            : fill(m.statusSummary, {
                current: one(summary.currentHours),
                max: one(summary.maxHours ?? 0),
                imports: summary.imports,
                overWarning: one(summary.hoursOverWarning),
                overCritical: one(summary.hoursOverCritical),
              })
        }
      </figcaption>
    </figure>
  </section>`;
}

export function statusPage(ctx: Ctx, facts: StatusFacts) {
  const { m } = ctx;
  const body = html`<h1>${m.statusTitle}</h1>
    ${snapshotSection(ctx, facts)} ${linkSection(ctx, facts)} ${auditSection(ctx, facts)}
    ${historySection(ctx, facts)}`;
  const s = facts.snapshot;
  return s
    ? page(
        { ...ctx, transactionTime: s.transactionTime, freshness: s.freshness },
        m.statusTitle,
        body,
      )
    : barePage(ctx, m.statusTitle, body);
}
