/** The person's upcoming home-care visits in time order, with services and double staffing. */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { fill, section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function visitsHeading(ctx: PageContext): Body {
  return html`<h2 id="h-visits">${ctx.m.resident.visits}</h2>
    ${sectionBadge(ctx, 'visits')}`;
}

/** "08:15" when the end is on the start's day, else the full date and time. */
function endTime(ctx: PageContext, start: string, end: string | undefined): string {
  if (!end) return '';
  const s = when(ctx, start);
  const e = when(ctx, end);
  return e.slice(0, 10) === s.slice(0, 10) ? e.slice(11) : e;
}

export function visitsSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  return section(
    'visits',
    visitsHeading(ctx),
    v.visits.length === 0
      ? html`<p>${t.visitsNone}</p>`
      : html`<p class="muted">${t.visitsIntro}</p>
          <div class="table-wrap">
            <table class="visits">
              <thead>
                <tr>
                  <th scope="col">${t.visitTime}</th>
                  <th scope="col">${t.visitService}</th>
                  <th scope="col">${t.visitStaff}</th>
                </tr>
              </thead>
              <tbody>
                ${v.visits.map(
                  (x) =>
                    html`<tr data-testid="visit">
                      <td>
                        <strong>${when(ctx, x.start)}</strong
                        >${x.end ? `–${endTime(ctx, x.start, x.end)}` : ''}${x.minutes ? html`<br /><span class="muted">${fill(t.visitMinutes, { n: x.minutes })}</span>` : ''}
                      </td>
                      <td>
                        ${x.services.length > 0 ? html`<strong>${x.services.join(', ')}</strong><br />` : ''}${x.description ?? ''}
                      </td>
                      <td>
                        ${x.doubleStaffing ? html`<span class="tag">${t.doubleStaffing}</span><br />` : ''}${x.staff.join(', ')}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`,
  );
}
