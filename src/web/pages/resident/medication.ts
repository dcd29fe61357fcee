/**
 * The medication list: dosage text verbatim next to the structured times and doses, PRN rules,
 * dose-dispensed and who gives it, and the last documented administration per order with the
 * warning that later doses are not in this copy.
 */
import type { MedicationLine, ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { fill, section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function medicationHeading(ctx: PageContext): Body {
  return html`<h2 id="h-med">${ctx.m.medication}</h2>
    ${sectionBadge(ctx, 'medication')}`;
}

function prnRule(ctx: PageContext, prn: NonNullable<MedicationLine['asNeeded']>): Body {
  const { m } = ctx;
  const t = m.resident;
  const interval = prn.minIntervalHours
    ? m.minInterval.replace('{h}', prn.minIntervalHours)
    : prn.minInterval
      ? fill(t.minIntervalOther, {
          n: prn.minInterval.value,
          unit:
            (t.periodUnits as Record<string, string>)[prn.minInterval.unit] ?? prn.minInterval.unit,
        })
      : undefined;
  return html`<strong>${m.asNeeded}</strong>${prn.reason ? `: ${prn.reason}` : ''}<br />
    ${prn.maxPerPeriod ? html`${m.maxDose} ${prn.maxPerPeriod}` : ''}${interval ? html`${prn.maxPerPeriod ? ', ' : ''}${interval}` : ''}`;
}

function medicationRow(ctx: PageContext, med: MedicationLine): Body {
  const { m } = ctx;
  const days = med.days.map((d) => (m.weekdays as Record<string, string>)[d] ?? d).join(', ');
  const last = med.lastAdministration;
  return html`<tr data-testid="medication">
    <td>
      <strong>${med.name || m.resident.unnamedMedication}</strong
      >${med.route ? html`<br /><span class="muted">${med.route}</span>` : ''}
    </td>
    <td><span class="dosage">${med.dosageText}</span></td>
    <td>
      ${med.times.length > 0 ? html`${m.times}: ${med.times.join(', ')}${days ? ` (${days})` : ''}<br />` : ''}
      ${med.doses.length > 0 ? html`${m.dose}: ${[...new Set(med.doses)].join('; ')}<br />` : ''}
      ${med.asNeeded ? prnRule(ctx, med.asNeeded) : ''}
    </td>
    <td>
      ${med.doseDispensed ? m.doseDispensed : ''}${med.performer ? html`${med.doseDispensed ? html`<br />` : ''}${med.performer}` : ''}
    </td>
    <td>
      ${
        last
          ? html`${when(ctx, last.at)}${last.dose ? ` (${last.dose})` : ''}${last.given ? '' : html` <span class="flagged">${m.lastNotGiven}</span>${last.reason ? `: ${m.resident.notGivenReason} ${last.reason}` : ''}`}`
          : html`<span class="muted">${m.noAdministration}</span>`
      }
    </td>
  </tr>`;
}

export function medicationSection(ctx: PageContext, v: ResidentView): Body {
  const { m } = ctx;
  return section(
    'med',
    medicationHeading(ctx),
    html`<p class="notice"><strong>${m.medicationLaterDoses}</strong></p>`,
    v.medications.length === 0
      ? html`<p>${m.medicationNone}</p>`
      : html`<div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${m.medication}</th>
                <th scope="col">${m.dosageText}</th>
                <th scope="col">${m.timesAndDose}</th>
                <th scope="col">${m.givenBy}</th>
                <th scope="col">${m.lastGiven}</th>
              </tr>
            </thead>
            <tbody>
              ${v.medications.map((med) => medicationRow(ctx, med))}
            </tbody>
          </table>
        </div>`,
  );
}
