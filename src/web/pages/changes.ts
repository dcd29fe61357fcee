/**
 * "What changed since the previous copy", as fragments the resident and unit pages place where
 * they belong: a badge on a changed section of the resident page, and a section on the unit
 * page. Both say it in words, not only colour; the badge is a <details> element, so its list
 * opens by keyboard with no script. Everything from the journal is escaped text.
 */
import type { ChangeItem } from '../../views/changes.ts';
import type { UnitChanges } from '../../views/unit-changes.ts';
import { formatDateTime } from '../../views/format.ts';
import { html } from '../html.ts';
import type { PageContext } from '../layout.ts';

function kindText(ctx: PageContext, item: ChangeItem): string {
  const { m } = ctx;
  if (item.field !== undefined) return m.changesFields[item.field];
  const kinds = item.type === 'MedicationRequest' ? m.changesMedicationKinds : m.changesKinds;
  return kinds[item.kind];
}

function changeItem(ctx: PageContext, item: ChangeItem) {
  const { m } = ctx;
  const hasValues = item.before !== undefined && item.after !== undefined;
  // An identity fact whose value may not be shown (address, phone) is only named as changed.
  const label =
    item.field !== undefined
      ? hasValues
        ? ''
        : m.changesKinds[item.kind]
      : item.label || m.changesUnnamed;
  return html`<li data-change="${item.kind}">
    <span class="changes-kind">${kindText(ctx, item)}:</span>
    ${label ? html`<strong>${label}</strong>` : ''}
    ${item.date ? html`<span class="muted">${formatDateTime(item.date, ctx.timeZone)}</span>` : ''}
    ${
      hasValues
        ? html`<span class="changes-values"
            ><span class="changes-before">${m.changesBefore}: ${item.before || '–'}</span>
            <span class="changes-after">${m.changesNow}: ${item.after || '–'}</span></span
          >`
        : ''
    }
  </li>`;
}

function itemList(ctx: PageContext, items: readonly ChangeItem[]) {
  return html`<ul class="changes-list">
    ${items.map((i) => changeItem(ctx, i))}
  </ul>`;
}

/**
 * The badge for one section of the resident page; nothing when the section has not changed.
 * Pass `newResident` for a person who is not in the previous copy at all.
 */
export function changeBadge(
  ctx: PageContext,
  items: readonly ChangeItem[],
  options: { newResident?: boolean } = {},
) {
  const { m } = ctx;
  if (options.newResident)
    return html`<p class="changes-badge changes-new" data-testid="change-badge">
      ${m.changesNewResident}
    </p>`;
  if (items.length === 0) return '';
  return html`<details class="changes-badge" data-testid="change-badge">
    <summary>${m.changesBadge} (${items.length})</summary>
    ${itemList(ctx, items)}
  </details>`;
}

/** "moved to {unit}", or the words without a unit when it may not be named. */
function moved(template: string, unit: string | undefined, otherwise: string): string {
  // A function replacement: a unit name is data, and "$&" in it must stay text.
  return unit === undefined ? otherwise : template.replace('{unit}', () => unit);
}

function residentLink(p: { id: string; name: string; room: string | null }) {
  return html`<a href="/boende/${encodeURIComponent(p.id)}">${p.name}</a>${
      p.room ? html` <span class="muted">(${p.room})</span>` : ''
    }`;
}

/**
 * The unit page's section on what changed: new and departed residents and medication changes
 * per resident. `previousTransactionTime` (the previous copy's export time) dates the comparison.
 */
export function unitChangesSection(
  ctx: PageContext,
  changes: UnitChanges,
  options: { previousTransactionTime?: string } = {},
) {
  const { m } = ctx;
  const when = options.previousTransactionTime;
  return html`<section
    class="changes-unit"
    aria-labelledby="h-changes-unit"
    data-testid="unit-changes"
  >
    <h2 id="h-changes-unit">${m.changesUnitTitle}</h2>
    ${
      when
        ? html`<p class="muted">
            ${m.changesComparedWith.replace('{time}', formatDateTime(when, ctx.timeZone))}
          </p>`
        : ''
    }
    ${changes.count === 0 ? html`<p>${m.changesNone}</p>` : ''}
    ${
      changes.newResidents.length > 0
        ? html`<h3>${m.changesNewResidents}</h3>
            <ul>
              ${changes.newResidents.map(
                (p) =>
                  html`<li data-change="arrived">
                    ${residentLink(p)} –
                    ${
                      p.from === 'new'
                        ? m.changesFromNew
                        : moved(m.changesFromUnit, p.fromUnit, m.changesFromOther)
                    }
                  </li>`,
              )}
            </ul>`
        : ''
    }
    ${
      changes.departedResidents.length > 0
        ? html`<h3>${m.changesDepartedResidents}</h3>
            <ul>
              ${changes.departedResidents.map(
                (p) =>
                  html`<li data-change="departed">
                    ${p.name}${p.room ? html` <span class="muted">(${p.room})</span>` : ''} –
                    ${
                      p.to === 'gone'
                        ? m.changesGone
                        : moved(m.changesToUnit, p.toUnit, m.changesToOther)
                    }
                  </li>`,
              )}
            </ul>`
        : ''
    }
    ${
      changes.medication.length > 0
        ? html`<h3>${m.changesMedicationTitle}</h3>
            <ul>
              ${changes.medication.map(
                (r) =>
                  html`<li data-change="medication">
                    ${residentLink(r)}
                    <span class="changes-counts"
                      >${(['added', 'removed', 'changed'] as const)
                        .filter((k) => r[k] > 0)
                        .map((k) => `${m.changesMedicationKinds[k]}: ${r[k]}`)
                        .join(' · ')}</span
                    >
                    ${itemList(ctx, r.items)}
                  </li>`,
              )}
            </ul>`
        : ''
    }
  </section>`;
}
