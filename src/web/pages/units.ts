/** Start page: search box and the list of units. */
import type { UnitRow } from '../../store/queries.ts';
import { html } from '../html.ts';
import { page, type PageContext } from '../layout.ts';

export function searchForm(ctx: PageContext, value = '') {
  const { m } = ctx;
  return html`<form class="search" method="post" action="/sok" role="search">
    <label
      >${m.searchLabel}<br />
      <input type="search" name="q" value="${value}" autocomplete="off" autofocus required />
    </label>
    <button type="submit">${m.searchButton}</button>
  </form>`;
}

export function unitsPage(ctx: PageContext, units: UnitRow[]) {
  const { m } = ctx;
  const item = (u: UnitRow) =>
    html`<li>
      <a href="/enhet/${encodeURIComponent(u.id)}"
        >${u.name}<br /><span class="muted">${u.residents} ${m.residentsCount}</span></a
      >
    </li>`;
  const nursing = units.filter((u) => u.kind !== 'home-care-group');
  const homeCare = units.filter((u) => u.kind === 'home-care-group');
  return page(
    ctx,
    m.units,
    html`<h1>${m.units}</h1>
      ${searchForm(ctx)}
      <p>${m.unitsIntro}</p>
      <h2>${m.nursingHomes}</h2>
      <ul class="units">
        ${nursing.map(item)}
      </ul>
      <h2>${m.homeCare}</h2>
      <ul class="units">
        ${homeCare.map(item)}
      </ul>`,
  );
}
