/**
 * Identity: name, identity number with century, unit and room, address (never for protected
 * identity), and the button that opens the key and door information for those allowed to see it.
 */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { section, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function identityHeading(ctx: PageContext): Body {
  return html`<h2 id="h-identity">${ctx.m.identity}</h2>
    ${sectionBadge(ctx, 'identity')}`;
}

/**
 * The key button: a POST form, so that every view of the keys goes through the audited route
 * and no key page has a URL to bookmark or share. Shown only when the policy would allow it.
 */
function keysButton(ctx: PageContext, v: ResidentView, mayViewKeys: boolean): Body | '' {
  const t = ctx.m.resident;
  if (!mayViewKeys) return '';
  if (v.keyRecords === 0) return html`<p class="muted">${t.keysNoneInCopy}</p>`;
  return html`<form
    class="keys-button"
    method="post"
    action="/boende/${encodeURIComponent(v.patient.id)}/nycklar"
  >
    <button type="submit">${t.keysButton}</button>
    <span class="muted">${t.keysButtonHint}</span>
  </form>`;
}

export function identitySection(ctx: PageContext, v: ResidentView, mayViewKeys: boolean): Body {
  const { m } = ctx;
  const p = v.patient;
  return section(
    'identity',
    identityHeading(ctx),
    html`<dl class="identity">
        <dt>${m.personnummer}</dt>
        <dd>
          ${v.identityDisplay}${p.identKind !== 'reservnummer' && p.identValid === 0 ? html` <span class="flagged">${m.identityFlagged}</span>` : ''}
        </dd>
        <dt>${m.birthDate}</dt>
        <dd>${p.birthDate ?? ''}</dd>
        <dt>${m.unit}</dt>
        <dd>${p.unitName ?? ''}${p.room ? html`, ${p.room}` : ''}</dd>
        <dt>${m.address}</dt>
        <dd>${p.protected ? html`<strong>${m.protectedAddress}</strong>` : (v.address ?? '')}</dd>
        ${
          v.phone && !p.protected
            ? html`<dt>${m.phone}</dt>
                <dd>${v.phone}</dd>`
            : ''
        }
        ${
          v.language
            ? html`<dt>${m.resident.language}</dt>
                <dd>${v.language}</dd>`
            : ''
        }
      </dl>
      ${keysButton(ctx, v, mayViewKeys)}`,
  );
}
