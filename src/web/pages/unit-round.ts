/**
 * The unit page's medication round: one table per time of day in time order, regular orders
 * without a fixed time, then as-needed orders with their rules. Rows are grouped per person (a
 * `tbody` each, the person's name heading the group); the dosage text is shown as ordered.
 */
import type { Messages } from '../../i18n/messages.ts';
import type { AsNeededOrder, RoundDose, RoundSlot, UnitView } from '../../views/unit.ts';
import { html, type HtmlEscapedString } from '../html.ts';
import type { PageContext } from '../layout.ts';

type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Put values into a catalogue text: `{date}` and the like. */
export const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);

export const personHref = (id: string) => `/boende/${encodeURIComponent(id)}`;

/** A person in a unit table: name (a link to their page) and room. */
export function personCell(p: { id: string; nameDisplay: string; room: string | null }) {
  return html`<a href="${personHref(p.id)}">${p.nameDisplay}</a>${
      p.room ? html`<br /><span class="muted">${p.room}</span>` : ''
    }`;
}

function medicineCells(ctx: PageContext, d: RoundDose | AsNeededOrder) {
  const { m } = ctx;
  return html`<td>
      <strong>${d.medication ?? m.unitMedicationUnnamed}</strong>${
        d.route ? html`<br /><span class="muted">${d.route}</span>` : ''
      }
    </td>
    <td>${d.dose ?? ''}</td>
    <td><span class="dosage">${d.dosageText}</span></td>
    <td>
      ${d.doseDispensed ? html`<span class="dose-dispensed">${m.doseDispensed}</span>` : ''}${
        d.performer ? html`${d.doseDispensed ? html`<br />` : ''}${d.performer}` : ''
      }
    </td>`;
}

/** Rows of one table grouped per person: a `tbody` each, the person's name heading the group. */
function groupedRows<T extends RoundDose>(rows: readonly T[], cells: (row: T) => Fragment) {
  const groups: T[][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]!.patient.id === row.patient.id) last.push(row);
    else groups.push([row]);
  }
  return groups.map(
    (g) =>
      html`<tbody data-patient="${g[0]!.patient.id}">
        ${g.map(
          (row, k) =>
            html`<tr>
              ${k === 0 ? html`<th scope="rowgroup" rowspan="${g.length}">${personCell(g[0]!.patient)}</th>` : ''}
              ${cells(row)}
            </tr>`,
        )}
      </tbody>`,
  );
}

function medicineHead(ctx: PageContext, extra?: string) {
  const { m } = ctx;
  return html`<thead>
    <tr>
      <th scope="col">${m.unitPerson}</th>
      <th scope="col">${m.medication}</th>
      <th scope="col">${m.dose}</th>
      <th scope="col">${m.dosageText}</th>
      <th scope="col">${m.givenBy}</th>
      ${extra ? html`<th scope="col">${extra}</th>` : ''}
    </tr>
  </thead>`;
}

function slotTitle(m: Messages, slot: RoundSlot): string {
  if (slot.kind === 'clock') return fill(m.unitRoundAt, { time: slot.time });
  return (m.unitEventTiming as Readonly<Record<string, string>>)[slot.time] ?? slot.time;
}

function prnRule(m: Messages, o: AsNeededOrder) {
  return html`${o.reason ? html`${m.unitPrnWhen} ${o.reason}` : m.asNeeded}${
    o.maxPerPeriod ? html`<br />${m.maxDose} ${o.maxPerPeriod}` : ''
  }${o.minIntervalHours ? html`<br />${fill(m.minInterval, { h: o.minIntervalHours })}` : ''}`;
}

export function roundSection(ctx: PageContext, view: UnitView) {
  const { m } = ctx;
  const { round } = view;
  return html`<section class="unit-round" aria-labelledby="h-round" data-testid="unit-round">
    <h2 id="h-round">${fill(m.unitRoundTitle, { date: round.date })}</h2>
    <p>${m.unitRoundIntro}</p>
    <p><strong>${m.medicationLaterDoses}</strong></p>
    ${round.slots.length === 0 && round.unscheduled.length === 0 ? html`<p>${m.unitRoundNone}</p>` : ''}
    ${round.slots.map(
      (slot, k) =>
        html`<h3 id="h-slot-${k}" data-slot="${slot.time}">${slotTitle(m, slot)}</h3>
          <table class="round" aria-labelledby="h-slot-${k}">
            ${medicineHead(ctx)} ${groupedRows(slot.doses, (d) => medicineCells(ctx, d))}
          </table>`,
    )}
    ${
      round.unscheduled.length > 0
        ? html`<h3 id="h-unscheduled">${m.unitUnscheduledTitle}</h3>
            <table class="round" aria-labelledby="h-unscheduled" data-testid="round-unscheduled">
              ${medicineHead(ctx)} ${groupedRows(round.unscheduled, (d) => medicineCells(ctx, d))}
            </table>`
        : ''
    }
    <h3 id="h-prn">${m.unitPrnTitle}</h3>
    ${
      round.asNeeded.length === 0
        ? html`<p>${m.unitPrnNone}</p>`
        : html`<table class="round" aria-labelledby="h-prn" data-testid="round-prn">
            ${medicineHead(ctx, m.asNeeded)}
            ${groupedRows(
              round.asNeeded,
              (o) =>
                html`${medicineCells(ctx, o)}
                  <td>${prnRule(m, o)}</td>`,
            )}
          </table>`
    }
  </section>`;
}
