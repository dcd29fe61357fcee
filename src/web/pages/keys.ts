/**
 * The key and door page: shown only after the button on the resident page, to home-care roles,
 * and only once its audit entry is committed (web/routes/keys.ts). The values are hidden from
 * print: key information is never part of a printout.
 */
import type { PatientRow } from '../../store/queries.ts';
import type { KeyItem } from '../../views/resident/keys.ts';
import { formatDateTime } from '../../views/format.ts';
import { html } from '../html.ts';
import { page, type PageContext } from '../layout.ts';

export function keysPage(ctx: PageContext, patient: PatientRow, identity: string, keys: KeyItem[]) {
  const { m } = ctx;
  const t = m.resident;
  const back = `/boende/${encodeURIComponent(patient.id)}`;
  return page(
    ctx,
    `${t.keysTitle} – ${patient.nameDisplay}`,
    html`<nav><a href="${back}">${t.backToResident}</a></nav>
      <h1>${t.keysTitle}: ${patient.nameDisplay} <span class="muted">${identity}</span></h1>
      <p class="notice">${t.keysIntro}</p>
      ${
        keys.length === 0
          ? html`<p>${t.keysNone}</p>`
          : keys.map(
              (k) =>
                html`<div class="key-info" data-testid="key-info">
                  ${k.title ? html`<h2>${k.title}</h2>` : ''}
                  <p class="key-text">${k.text}</p>
                  ${k.recorded ? html`<p class="muted">${t.keysRecorded} ${formatDateTime(k.recorded, ctx.timeZone)}</p>` : ''}
                </div>`,
            )
      }
      <p><a href="${back}">${t.backToResident}</a></p>`,
  );
}
