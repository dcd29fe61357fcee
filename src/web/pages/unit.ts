/**
 * The unit page: the people of a ward or home-care group with their critical flags, a legend
 * for the flag icons, today's medication round and, for a home-care group, the visit route for
 * today and tomorrow. A slot near the top takes the "what changed since the previous snapshot"
 * section, rendered elsewhere and passed in.
 *
 * Icons are text symbols in the page's own markup and CSS (no images, no inline styles: the CSP
 * allows neither), hidden from screen readers, each beside visible words that say the same.
 * Everything from the journal is escaped by the `html` tag.
 */
import type { Messages } from '../../i18n/messages.ts';
import { FLAG_KINDS } from '../../views/unit-flags.ts';
import type { FlagKind, FlagMark, RouteDay, UnitResident, UnitView } from '../../views/unit.ts';
import { formatDateTime } from '../../views/format.ts';
import { html, type HtmlEscapedString } from '../html.ts';
import { page, type PageContext } from '../layout.ts';
import { fill, personCell, personHref, roundSection } from './unit-round.ts';

type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The symbol drawn for each flag; decorative, the words beside it carry the meaning. */
const SYMBOL: Readonly<Record<FlagKind, string>> = {
  dnr: '⊘',
  dnrUndated: '?',
  allergy: '⚠',
  infection: '☣',
  choking: '◉',
  palliative: '✿',
  threat: '⚑',
  protected: '⌂',
};

function flagIcon(kind: FlagKind) {
  return html`<span class="flag-symbol" aria-hidden="true">${SYMBOL[kind]}</span>`;
}

/** Extra words for one flag: the decision date, the allergens, the organism. */
function flagDetail(ctx: PageContext, f: FlagMark): string {
  const parts = [...f.details];
  if (f.decidedOn !== undefined)
    parts.unshift(fill(ctx.m.unitDecidedOn, { date: formatDateTime(f.decidedOn, ctx.timeZone) }));
  return parts.join(', ');
}

export function flagList(ctx: PageContext, flags: readonly FlagMark[]) {
  if (flags.length === 0) return '';
  const { m } = ctx;
  return html`<ul class="flags">
    ${flags.map((f) => {
      const label = m.unitFlags[f.kind].label;
      const detail = flagDetail(ctx, f);
      return html`<li
        class="flag flag-${f.kind}"
        data-flag="${f.kind}"
        title="${m.unitFlags[f.kind].legend}"
      >
        ${flagIcon(f.kind)}<span class="flag-label">${label}</span>${
          detail ? html`<span class="flag-detail"> (${detail})</span>` : ''
        }
      </li>`;
    })}
  </ul>`;
}

function legend(m: Messages) {
  return html`<section class="flag-legend" aria-labelledby="h-legend" data-testid="flag-legend">
    <h2 id="h-legend">${m.unitLegendTitle}</h2>
    <dl>
      ${FLAG_KINDS.map(
        (kind) =>
          html`<div class="flag-legend-item">
            <dt class="flag flag-${kind}">
              ${flagIcon(kind)}<span class="flag-label">${m.unitFlags[kind].label}</span>
            </dt>
            <dd>${m.unitFlags[kind].legend}</dd>
          </div>`,
      )}
    </dl>
  </section>`;
}

function residentsTable(ctx: PageContext, people: readonly UnitResident[]) {
  const { m } = ctx;
  if (people.length === 0) return html`<p>${m.unitNoResidents}</p>`;
  return html`<table class="unit-residents" data-testid="unit-residents">
    <thead>
      <tr>
        <th scope="col">${m.room}</th>
        <th scope="col">${m.name}</th>
        <th scope="col">${m.personnummer}</th>
        <th scope="col">${m.unitFlagsColumn}</th>
      </tr>
    </thead>
    <tbody>
      ${people.map(
        (r) =>
          html`<tr data-patient="${r.patient.id}">
            <td>${r.patient.room ?? ''}</td>
            <td><a href="${personHref(r.patient.id)}">${r.patient.nameDisplay}</a></td>
            <td class="ident">${r.identityDisplay}</td>
            <td>${flagList(ctx, r.flags)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function routeDay(ctx: PageContext, day: RouteDay, k: number) {
  const { m } = ctx;
  const title = fill(k === 0 ? m.unitToday : m.unitTomorrow, { date: day.date });
  return html`<h3 id="h-route-${k}">${title}</h3>
    ${
      day.visits.length === 0
        ? html`<p>${m.unitRouteNone}</p>`
        : html`<table class="route" aria-labelledby="h-route-${k}" data-day="${day.date}">
            <thead>
              <tr>
                <th scope="col">${m.unitVisitTime}</th>
                <th scope="col">${m.unitPerson}</th>
                <th scope="col">${m.unitServices}</th>
                <th scope="col">${m.unitStaff}</th>
                <th scope="col">${m.address}</th>
              </tr>
            </thead>
            <tbody>
              ${day.visits.map(
                (v) =>
                  html`<tr data-visit="${v.id}">
                    <td class="time">${v.time}${v.endTime ? html`–${v.endTime}` : ''}</td>
                    <td>${personCell(v.patient)}</td>
                    <td>
                      ${v.services.length > 0 ? html`<strong>${v.services.join(', ')}</strong>` : ''}
                      ${v.description ? html`<br /><span class="visit-text">${v.description}</span>` : ''}
                    </td>
                    <td>
                      ${v.doubleStaffing ? html`<strong class="double-staffing">${m.unitDoubleStaffing}</strong>${v.staff.length > 0 ? html`<br />` : ''}` : ''}${v.staff.join(', ')}
                    </td>
                    <td>
                      ${v.protectedIdentity ? html`<strong>${m.protectedAddress}</strong>` : (v.address ?? '')}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

function routeSection(ctx: PageContext, route: readonly RouteDay[]) {
  const { m } = ctx;
  return html`<section class="unit-route" aria-labelledby="h-route" data-testid="unit-route">
    <h2 id="h-route">${m.unitRouteTitle}</h2>
    <p>${m.unitRouteIntro}</p>
    ${route.map((day, k) => routeDay(ctx, day, k))}
  </section>`;
}

/**
 * The page. `changes` is the rendered "what changed since the previous snapshot" section for
 * this unit, when there is one; it is placed after the heading, before the residents.
 */
export function unitPage(ctx: PageContext, view: UnitView, changes?: Fragment, print?: Fragment) {
  const { m } = ctx;
  const { unit } = view;
  return page(
    ctx,
    unit.name,
    html`<nav><a href="/">${m.backToUnits}</a></nav>
      <h1>${unit.name}</h1>
      ${unit.parentName ? html`<p class="muted">${unit.parentName}</p>` : ''}
      ${unit.phone ? html`<p>${m.phone}: ${unit.phone}</p>` : ''}
      ${view.unreadable > 0 ? html`<p class="flagged" role="note">${fill(m.unitUnreadable, { n: String(view.unreadable) })}</p>` : ''}
      ${changes ? html`<div class="unit-changes" data-testid="unit-changes-slot">${changes}</div>` : ''}
      <section aria-labelledby="h-residents">
        <h2 id="h-residents">${m.residents}</h2>
        ${residentsTable(ctx, view.people)}
      </section>
      ${legend(m)} ${view.route ? routeSection(ctx, view.route) : ''} ${roundSection(ctx, view)}
      ${print ?? ''}`,
  );
}
