/**
 * Care plans and the implementation plan (genomförandeplan), each marked social care (SoL),
 * nursing or rehabilitation (HSL) by its category, with goals and activities; then the services
 * granted (insatser).
 */
import type { CarePlanItem, ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { regimeBadge } from './notes.ts';
import { dateNote, section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function careHeading(ctx: PageContext): Body {
  return html`<h2 id="h-care">${ctx.m.resident.carePlans}</h2>
    ${sectionBadge(ctx, 'carePlans')}`;
}

/** A plan's activities as a list, each with its schedule as written. */
export function activityList(ctx: PageContext, p: CarePlanItem): Body | '' {
  if (p.activities.length === 0) return '';
  return html`<ul class="activities">
    ${p.activities.map(
      (a) =>
        html`<li>
          ${a.text}${a.when ? html` <span class="muted">(${when(ctx, a.when)})</span>` : ''}
        </li>`,
    )}
  </ul>`;
}

function plan(ctx: PageContext, p: CarePlanItem): Body {
  const t = ctx.m.resident;
  const kind = t.carePlanKind[p.kind];
  return html`<div class="plan plan-${p.kind}" data-testid="care-plan" data-kind="${p.kind}">
    <h3>${p.title ?? kind}${p.regime ? html` ${regimeBadge(ctx, p.regime)}` : ''}</h3>
    <p class="muted">
      ${kind}${p.since ? html` · ${t.carePlanValidFrom} ${when(ctx, p.since)}` : ''}${p.until ? html` – ${when(ctx, p.until)}` : ''}
    </p>
    ${p.description ? html`<p class="note-text">${p.description}</p>` : ''}
    ${
      p.goals.length === 0
        ? ''
        : html`<p><strong>${t.carePlanGoals}:</strong></p>
            <ul>
              ${p.goals.map(
                (g) =>
                  html`<li>
                    ${g.text}${g.due ? html` <span class="muted">(${t.goalDue} ${when(ctx, g.due)})</span>` : ''}
                  </li>`,
              )}
            </ul>`
    }
    ${p.activities.length > 0 ? html`<p><strong>${t.carePlanActivities}:</strong></p>` : ''}
    ${activityList(ctx, p)}
  </div>`;
}

export function careSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  const { plans, otherGoals, services } = v.care;
  return section(
    'care',
    careHeading(ctx),
    plans.length === 0 ? html`<p>${t.carePlansNone}</p>` : plans.map((p) => plan(ctx, p)),
    otherGoals.length === 0
      ? ''
      : html`<h3>${t.otherGoals}</h3>
          <ul>
            ${otherGoals.map((g) => html`<li>${g.text}${dateNote(ctx, g.due)}</li>`)}
          </ul>`,
    html`<h3>${t.services}</h3>`,
    services.length === 0
      ? html`<p>${t.servicesNone}</p>`
      : html`<ul data-testid="services">
          ${services.map(
            (s) =>
              html`<li>
                ${s.regime ? html`${regimeBadge(ctx, s.regime)} ` : ''}${s.text}${dateNote(ctx, s.since)}
              </li>`,
          )}
        </ul>`,
  );
}
