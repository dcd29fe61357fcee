/**
 * Notes of the last seven days, newest first, each marked with its record regime: SoL (social
 * documentation) or HSL (health care), as a visible label that does not rely on colour alone.
 */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { section, when, type Body } from './section.ts';

export function notesHeading(ctx: PageContext): Body {
  return html`<h2 id="h-notes">${ctx.m.notes}</h2>`;
}

/** "SoL" or "HSL" as a label; any other regime code as written. */
export function regimeBadge(ctx: PageContext, regime: string): Body {
  const t = ctx.m.resident;
  const known = regime === 'SoL' || regime === 'HSL';
  return html`<span class="regime regime-${known ? regime.toLowerCase() : 'other'}"
    >${known ? t.regime[regime] : regime}</span
  >`;
}

export function notesSection(ctx: PageContext, v: ResidentView): Body {
  const { m } = ctx;
  return section(
    'notes',
    notesHeading(ctx),
    v.notes.length === 0
      ? html`<p>${m.notesNone}</p>`
      : html`<p class="muted">${m.resident.notesLegend}</p>
          ${v.notes.map(
            (n) =>
              html`<div
                class="note${n.regime === 'SoL' || n.regime === 'HSL' ? ` note-${n.regime.toLowerCase()}` : ''}"
                data-testid="note"
                data-regime="${n.regime ?? ''}"
              >
                <span class="muted"
                  >${n.regime ? regimeBadge(ctx, n.regime) : html`<span class="regime regime-other">${m.resident.regime.other}</span>`}
                  ${when(ctx, n.date)}${n.kind ? ` · ${n.kind}` : ''}</span
                >
                <p class="note-text">${n.text || m.resident.noteNoText}</p>
              </div>`,
          )}`,
  );
}
