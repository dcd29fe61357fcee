/**
 * Risks and their measures (Senior Alert). The measures come first and largest: they are what
 * the shift must do; the assessment (instrument, level, date) follows in smaller text.
 */
import type { CarePlanItem, ResidentView, RiskItem } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { activityList } from './care.ts';
import { section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function risksHeading(ctx: PageContext): Body {
  return html`<h2 id="h-risks">${ctx.m.resident.risks}</h2>
    ${sectionBadge(ctx, 'risks')}`;
}

function measurePlan(ctx: PageContext, p: CarePlanItem): Body {
  return html`${p.title ? html`<p class="muted">${p.title}</p>` : ''}${activityList(ctx, p)}`;
}

function riskLevel(ctx: PageContext, r: RiskItem): string | undefined {
  const levels = ctx.m.resident.riskLevel as Record<string, string>;
  return (r.level ? levels[r.level] : undefined) ?? r.levelText ?? r.level;
}

function risk(ctx: PageContext, r: RiskItem): Body {
  const t = ctx.m.resident;
  const level = riskLevel(ctx, r);
  const hasMeasures = r.mitigation !== undefined || r.plans.length > 0;
  return html`<div
    class="risk${r.level === 'high' || r.level === 'certain' ? ' high' : ''}"
    data-testid="risk"
  >
    <h3>
      ${r.outcome ?? r.title}${level ? html` <span class="risk-level">– ${level}</span>` : ''}
    </h3>
    <div class="measures">
      <strong>${t.riskMeasures}:</strong>
      ${r.mitigation ? html`<p class="measure-text">${r.mitigation}</p>` : ''}
      ${r.plans.map((p) => measurePlan(ctx, p))}
      ${hasMeasures ? '' : html`<p>${t.riskMeasuresNone}</p>`}
    </div>
    <p class="muted">${r.title}${r.date ? html` · ${t.riskAssessed} ${when(ctx, r.date)}` : ''}</p>
  </div>`;
}

export function risksSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  const { risks, measurePlans } = v.risks;
  return section(
    'risks',
    risksHeading(ctx),
    risks.length === 0 && measurePlans.length === 0 ? html`<p>${t.risksNone}</p>` : '',
    risks.map((r) => risk(ctx, r)),
    measurePlans.length === 0
      ? ''
      : html`<div class="risk">
          <h3>${t.riskOtherMeasures}</h3>
          <div class="measures">${measurePlans.map((p) => measurePlan(ctx, p))}</div>
        </div>`,
  );
}
