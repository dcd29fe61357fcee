/** Contacts: relatives and legal representatives, then the unit, its nurse and the GP practice. */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { section, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function contactsHeading(ctx: PageContext): Body {
  return html`<h2 id="h-contacts">${ctx.m.contacts}</h2>
    ${sectionBadge(ctx, 'contacts')}`;
}

export function contactsSection(ctx: PageContext, v: ResidentView): Body {
  const { m } = ctx;
  const t = m.resident;
  return section(
    'contacts',
    contactsHeading(ctx),
    html`<h3>${t.relatives}</h3>`,
    v.contacts.length === 0
      ? html`<p>${m.contactsNone}</p>`
      : html`<ul>
          ${v.contacts.map(
            (c) =>
              html`<li>
                <strong>${c.name}</strong
                >${c.relationship ? ` (${c.relationship})` : ''}${c.phone ? html` – ${c.phone}` : ''}${c.mayReceiveInformation === false ? html` <span class="flagged">${m.mayNotReceiveInformation}</span>` : ''}
              </li>`,
          )}
        </ul>`,
    v.careContacts.length === 0
      ? ''
      : html`<h3>${t.careContacts}</h3>
          <ul>
            ${v.careContacts.map(
              (c) =>
                html`<li>
                  ${t.careContactKind[c.kind]}:
                  <strong>${c.name}</strong>${c.phone ? html` – ${c.phone}` : ''}
                </li>`,
            )}
          </ul>`,
  );
}
