/**
 * Alerts and allergies, the resuscitation decision (never shown without its date) with other
 * limits of treatment, and palliative status.
 */
import type { ResidentView, ResuscitationDecision } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { dateNote, section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function alertsHeading(ctx: PageContext): Body {
  return html`<h2 id="h-alerts">${ctx.m.alertsAndAllergies}</h2>
    ${sectionBadge(ctx, 'alerts')}`;
}

export function alertsSection(ctx: PageContext, v: ResidentView): Body {
  const { m } = ctx;
  return section(
    'alerts',
    alertsHeading(ctx),
    v.alerts.length === 0
      ? html`<p>${m.noAlerts}</p>`
      : v.alerts.map(
          (a) =>
            html`<div class="alert" data-alert="${a.code ?? ''}">
              <strong>${a.text || m.resident.unknownSubstance}</strong
              >${a.detail ? html` – ${a.detail}` : ''}${a.criticality === 'high' ? html` <span class="flagged">${m.resident.criticalityHigh}</span>` : ''}${dateNote(ctx, a.since)}
            </div>`,
        ),
  );
}

export function resuscitationHeading(ctx: PageContext): Body {
  return html`<h2 id="h-hlr">${ctx.m.resuscitation}</h2>
    ${sectionBadge(ctx, 'resuscitation')}`;
}

function decision(ctx: PageContext, d: ResuscitationDecision, title: string): Body {
  const { m } = ctx;
  const t = m.resident;
  // Without its date a decision cannot be followed: say so instead of showing it as valid.
  if (!d.dated)
    return html`<div class="decision undated" role="note">
      <p class="flagged">${t.resuscitationUndated}</p>
      <dl class="identity">
        <dt>${m.decidedBy}</dt>
        <dd>${d.physician ?? t.missing}</dd>
        <dt>${m.decidedOn}</dt>
        <dd>${t.missing}</dd>
      </dl>
    </div>`;
  return html`<div class="decision">
    <strong>${title}</strong>
    <dl class="identity">
      <dt>${m.decidedBy}</dt>
      <dd>${d.physician ?? t.missing}</dd>
      <dt>${m.decidedOn}</dt>
      <dd>${when(ctx, d.decidedOn)}</dd>
      <dt>${m.reviewBy}</dt>
      <dd>
        ${d.reviewBy ? when(ctx, d.reviewBy) : t.missing}${d.reviewOverdue ? html` <span class="flagged">${t.resuscitationReviewOverdue}</span>` : ''}
      </dd>
      ${
        d.reason
          ? html`<dt>${m.reason}</dt>
              <dd>${d.reason}</dd>`
          : ''
      }
    </dl>
  </div>`;
}

export function resuscitationSection(ctx: PageContext, v: ResidentView): Body {
  const { m } = ctx;
  return section(
    'hlr',
    resuscitationHeading(ctx),
    v.resuscitation.length === 0
      ? html`<p>${m.resuscitationNone}</p>`
      : v.resuscitation.map((d) =>
          decision(ctx, d, d.doNotPerform ? m.resuscitationNotPerform : d.text),
        ),
    v.treatmentLimits.length === 0
      ? ''
      : html`<h3>${m.resident.treatmentLimits}</h3>
          ${v.treatmentLimits.map((d) =>
            decision(ctx, d, `${m.resident.doNotPerform}: ${d.text}`),
          )}`,
  );
}

export function palliativeHeading(ctx: PageContext): Body {
  return html`<h2 id="h-palliative">${ctx.m.resident.palliative}</h2>`;
}

export function palliativeSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  const p = v.palliative;
  return section(
    'palliative',
    palliativeHeading(ctx),
    !p.active
      ? html`<p>${t.palliativeNone}</p>`
      : html`<div class="alert" data-alert="PALLIATIVE">
          <strong>${p.text ?? t.palliative}</strong
          >${p.since ? html` <span class="muted">(${t.palliativeSince} ${when(ctx, p.since)})</span>` : ''}
        </div>`,
    p.injections.length === 0
      ? ''
      : html`<p>${t.palliativeInjections}:</p>
          <ul>
            ${p.injections.map(
              (i) =>
                html`<li><strong>${i.name || t.unnamedMedication}</strong> – ${i.dosageText}</li>`,
            )}
          </ul>`,
  );
}
