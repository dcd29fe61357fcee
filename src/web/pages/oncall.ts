/** The on-call manager's page: issue an emergency code, see and revoke recent ones. */
import type { EmergencyCodeRow } from '../../auth/emergency.ts';
import type { UnitRow } from '../../store/queries.ts';
import { formatDateTime } from '../../views/format.ts';
import { html } from '../html.ts';
import { barePage, type FrameContext } from '../layout.ts';

export function oncallPage(
  ctx: FrameContext & { readonly timeZone: string },
  units: readonly UnitRow[],
  codes: readonly EmergencyCodeRow[],
  options: { newCode?: string; canIssue: boolean; now: Date },
) {
  const { m } = ctx;
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const state = (c: EmergencyCodeRow) =>
    c.revokedAt
      ? m.oncallRevoked
      : Date.parse(c.validUntil) <= options.now.getTime()
        ? '–'
        : html`<form method="post" action="/jour/aterkalla">
            <input type="hidden" name="id" value="${c.id}" /><button type="submit">
              ${m.oncallRevoke}
            </button>
          </form>`;
  return barePage(
    ctx,
    m.oncallTitle,
    html`<nav><a href="/">${m.backToUnits}</a></nav>
      <h1>${m.oncallTitle}</h1>
      ${
        options.newCode
          ? html`<div class="notice" role="status">
              <p>${m.oncallNewCode}</p>
              <p class="code" data-testid="new-code">${options.newCode}</p>
            </div>`
          : ''
      }
      <p>${m.oncallIntro}</p>
      ${
        options.canIssue
          ? html`<form class="stack" method="post" action="/jour/kod">
              <label
                >${m.oncallUnit}
                <select name="unit" required>
                  ${units.map((u) => html`<option value="${u.id}">${u.name}</option>`)}
                </select>
              </label>
              <label
                >${m.oncallHours}
                <input name="hours" type="number" min="1" max="12" value="8" required />
              </label>
              <label>${m.oncallReason} <input name="reason" required maxlength="300" /></label>
              <label>${m.oncallForPerson} <input name="forPerson" maxlength="100" /></label>
              <button type="submit">${m.oncallIssue}</button>
            </form>`
          : ''
      }
      ${
        codes.length === 0
          ? html`<p>${m.oncallNone}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${m.oncallUnit}</th>
                  <th scope="col">${m.oncallValidUntil}</th>
                  <th scope="col">${m.oncallIssuedBy}</th>
                  <th scope="col">${m.oncallHolder}</th>
                  <th scope="col">${m.oncallReason}</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                ${codes.map(
                  (c) =>
                    html`<tr>
                      <td>${unitName.get(c.unitId) ?? c.unitId}</td>
                      <td>${formatDateTime(c.validUntil, ctx.timeZone)}</td>
                      <td>${c.issuedBy}</td>
                      <td>${c.holder ?? c.forPerson ?? ''}</td>
                      <td>${c.reason}</td>
                      <td>${state(c)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  );
}
