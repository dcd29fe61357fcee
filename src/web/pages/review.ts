/** The log reviewer's page: filters, then entries with emergency and break-glass first. */
import type { AuditEntry } from '../../audit/entry.ts';
import { formatDateTime } from '../../views/format.ts';
import { html } from '../html.ts';
import { barePage, type FrameContext } from '../layout.ts';

export interface ReviewFilters {
  readonly user: string;
  readonly patientIdent: string;
  readonly unit: string;
  readonly from: string;
  readonly to: string;
}

export function reviewPage(
  ctx: FrameContext & { readonly timeZone: string },
  filters: ReviewFilters,
  entries: readonly AuditEntry[],
) {
  const { m } = ctx;
  const input = (name: keyof ReviewFilters, label: string, type = 'text') =>
    html`<label>${label} <input name="${name}" type="${type}" value="${filters[name]}" /></label>`;
  return barePage(
    ctx,
    m.reviewTitle,
    html`<h1>${m.reviewTitle}</h1>
      <p>${m.reviewIntro}</p>
      <form class="stack" method="post" action="/granskning">
        ${input('user', m.reviewUser)} ${input('patientIdent', m.reviewPatient)}
        ${input('unit', m.reviewUnit)} ${input('from', m.reviewFrom, 'date')}
        ${input('to', m.reviewTo, 'date')}
        <button type="submit">${m.reviewFilter}</button>
      </form>
      ${
        entries.length === 0
          ? html`<p>${m.reviewNone}</p>`
          : html`<table data-testid="audit-entries">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">${m.reviewTime}</th>
                  <th scope="col">${m.reviewUser}</th>
                  <th scope="col">${m.reviewAction}</th>
                  <th scope="col">${m.unit}</th>
                  <th scope="col">${m.reviewPatient}</th>
                  <th scope="col">${m.reviewOutcome}</th>
                  <th scope="col">${m.reviewReason}</th>
                </tr>
              </thead>
              <tbody>
                ${entries.map(
                  (e) =>
                    html`<tr class="${e.flags && e.flags.length > 0 ? 'flagged-row' : ''}">
                      <td>${e.seq}</td>
                      <td>${formatDateTime(e.at, 'UTC')}</td>
                      <td>
                        ${e.user ?? ''}${e.role ? html`<br /><span class="muted">${e.role}</span>` : ''}
                      </td>
                      <td>
                        ${e.action}${(e.flags ?? []).map((f) => html` <span class="badge">${f}</span>`)}
                      </td>
                      <td>${e.unit ?? ''}</td>
                      <td>${e.patientIdent ?? e.patient ?? ''}</td>
                      <td>${e.outcome}</td>
                      <td>${e.reason ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  );
}
