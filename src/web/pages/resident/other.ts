/**
 * Other information: resources no section shows, listed generically (type, date, status and a
 * readable text, or "Type/id"), so unknown data is visible instead of failing or vanishing.
 */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function otherHeading(ctx: PageContext): Body {
  return html`<h2 id="h-other">${ctx.m.resident.other}</h2>
    ${sectionBadge(ctx, 'other')}`;
}

/** Only when there is something no other section shows. */
export function otherSection(ctx: PageContext, v: ResidentView): Body | '' {
  const t = ctx.m.resident;
  if (v.other.length === 0) return '';
  return section(
    'other',
    otherHeading(ctx),
    html`<p class="muted">${t.otherIntro}</p>
      <ul class="generic">
        ${v.other.map(
          (g) =>
            html`<li data-testid="generic" data-type="${g.type}">
              <strong>${g.type}</strong
              >${g.date ? html` · ${when(ctx, g.date)}` : ''}${g.status ? html` · ${g.status}` : ''}<br />
              ${
                g.restricted
                  ? html`<span class="muted">${g.type}/${g.id} – ${t.otherRestricted}</span>`
                  : g.text !== undefined
                    ? html`<span class="note-text">${g.text}</span>`
                    : html`<span class="muted">${g.type}/${g.id}</span>`
              }
            </li>`,
        )}
      </ul>`,
  );
}
