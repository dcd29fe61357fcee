/** Search results: a table of people, each linked to their page. */
import { formatTwelveDigit } from '../../core/personnummer.ts';
import type { PatientRow } from '../../store/queries.ts';
import { html } from '../html.ts';
import { page, type PageContext } from '../layout.ts';
import { searchForm } from './units.ts';

function identity(p: PatientRow): string {
  return p.identNorm && /^\d{12}$/.test(p.identNorm)
    ? formatTwelveDigit(p.identNorm)
    : (p.identValue ?? '');
}

export function residentTable(ctx: PageContext, people: PatientRow[], showUnit: boolean) {
  const { m } = ctx;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${m.room}</th>
        <th scope="col">${m.name}</th>
        <th scope="col">${m.personnummer}</th>
        ${showUnit ? html`<th scope="col">${m.unit}</th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${people.map(
        (p) =>
          html`<tr>
            <td>${p.room ?? ''}</td>
            <td><a href="/boende/${encodeURIComponent(p.id)}">${p.nameDisplay}</a></td>
            <td>${identity(p)}</td>
            ${showUnit ? html`<td>${p.unitName ?? ''}</td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * Search results. Hits outside the person's units are only counted; listing them is a
 * break-glass search that needs a reason (`outside` > 0 offers the form).
 */
export function searchPage(
  ctx: PageContext,
  query: string,
  people: PatientRow[],
  options: { outside: number; mayBreakGlass: boolean } = { outside: 0, mayBreakGlass: false },
) {
  const { m } = ctx;
  return page(
    ctx,
    m.searchResults,
    html`<nav><a href="/">${m.backToUnits}</a></nav>
      <h1>${m.searchResults}</h1>
      ${searchForm(ctx, query)}
      ${people.length === 0 ? html`<p>${m.searchNone}</p>` : residentTable(ctx, people, true)}
      ${
        options.outside > 0
          ? html`<div class="notice" data-testid="outside-hits">
              <p>${m.searchOutsideCount.replace('{n}', String(options.outside))}</p>
              ${
                options.mayBreakGlass
                  ? html`<form class="stack" method="post" action="/sok">
                      <input type="hidden" name="q" value="${query}" />
                      <label
                        >${m.breakGlassReason}
                        <textarea
                          name="reason"
                          rows="2"
                          minlength="10"
                          maxlength="500"
                          required
                        ></textarea>
                      </label>
                      <button type="submit">${m.searchOutsideForm}</button>
                    </form>`
                  : ''
              }
            </div>`
          : ''
      }`,
  );
}
