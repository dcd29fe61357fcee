/**
 * The resident page: identity, alerts and allergies, the resuscitation decision, medication,
 * notes of the last seven days and contacts. Everything from the journal is escaped text.
 */
import type { ResidentView, MedicationLine } from '../../views/resident.ts';
import { formatDateTime } from '../format.ts';
import { html } from '../html.ts';
import { page, type PageContext } from '../layout.ts';

function medicationRow(ctx: PageContext, med: MedicationLine) {
  const { m } = ctx;
  const days = med.days.map((d) => (m.weekdays as Record<string, string>)[d] ?? d).join(', ');
  const prn = med.asNeeded;
  const last = med.lastAdministration;
  return html`<tr>
    <td>
      <strong>${med.name}</strong
      >${med.route ? html`<br /><span class="muted">${med.route}</span>` : ''}
    </td>
    <td><span class="dosage">${med.dosageText}</span></td>
    <td>
      ${med.times.length > 0 ? html`${m.times}: ${med.times.join(', ')}${days ? ` (${days})` : ''}<br />` : ''}
      ${med.doses.length > 0 ? html`${m.dose}: ${[...new Set(med.doses)].join('; ')}<br />` : ''}
      ${
        prn
          ? html`<strong>${m.asNeeded}</strong>${prn.reason ? `: ${prn.reason}` : ''}<br />
              ${prn.maxPerPeriod ? html`${m.maxDose} ${prn.maxPerPeriod}` : ''}${prn.minIntervalHours ? html`, ${m.minInterval.replace('{h}', prn.minIntervalHours)}` : ''}`
          : ''
      }
    </td>
    <td>
      ${med.doseDispensed ? m.doseDispensed : ''}${med.performer ? html`<br />${m.givenBy}: ${med.performer}` : ''}
    </td>
    <td>
      ${
        last
          ? html`${formatDateTime(last.at, ctx.timeZone)}${last.dose ? ` (${last.dose})` : ''}${last.given ? '' : html` <span class="flagged">${m.lastNotGiven}</span>`}`
          : html`<span class="muted">${m.noAdministration}</span>`
      }
    </td>
  </tr>`;
}

export function residentPage(ctx: PageContext, v: ResidentView) {
  const { m } = ctx;
  const p = v.patient;
  return page(
    ctx,
    p.nameDisplay,
    html`<nav>
        <a href="/">${m.backToUnits}</a
        >${p.unitId ? html` › <a href="/enhet/${encodeURIComponent(p.unitId)}">${p.unitName ?? p.unitId}</a>` : ''}
      </nav>
      <h1>${p.nameDisplay} <span class="muted">${v.identityDisplay}</span></h1>

      ${v.unreadable > 0 ? html`<p class="flagged" role="note">${m.unreadable.replace('{n}', String(v.unreadable))}</p>` : ''}

      <section aria-labelledby="h-identity">
        <h2 id="h-identity">${m.identity}</h2>
        <dl class="identity">
          <dt>${m.personnummer}</dt>
          <dd>
            ${v.identityDisplay}${p.identKind !== 'reservnummer' && p.identValid === 0 ? html` <span class="flagged">${m.identityFlagged}</span>` : ''}
          </dd>
          <dt>${m.birthDate}</dt>
          <dd>${p.birthDate ?? ''}</dd>
          <dt>${m.unit}</dt>
          <dd>${p.unitName ?? ''}${p.room ? html`, ${p.room}` : ''}</dd>
          <dt>${m.address}</dt>
          <dd>${p.protected ? html`<strong>${m.protectedAddress}</strong>` : (v.address ?? '')}</dd>
          ${
            v.phone && !p.protected
              ? html`<dt>${m.phone}</dt>
                  <dd>${v.phone}</dd>`
              : ''
          }
        </dl>
      </section>

      <section aria-labelledby="h-alerts">
        <h2 id="h-alerts">${m.alertsAndAllergies}</h2>
        ${
          v.alerts.length === 0
            ? html`<p>${m.noAlerts}</p>`
            : v.alerts.map(
                (a) =>
                  html`<div class="alert" data-alert="${a.code ?? ''}">
                    <strong>${a.text}</strong
                    >${a.detail ? html` – ${a.detail}` : ''}${a.since ? html` <span class="muted">(${a.since})</span>` : ''}
                  </div>`,
              )
        }
      </section>

      <section aria-labelledby="h-hlr">
        <h2 id="h-hlr">${m.resuscitation}</h2>
        ${
          v.resuscitation.length === 0
            ? html`<p>${m.resuscitationNone}</p>`
            : v.resuscitation.map(
                (d) =>
                  html`<div class="decision">
                    <strong>${d.doNotPerform ? m.resuscitationNotPerform : d.text}</strong>
                    <dl class="identity">
                      <dt>${m.decidedBy}</dt>
                      <dd>${d.physician ?? ''}</dd>
                      <dt>${m.decidedOn}</dt>
                      <dd>${d.decidedOn ?? ''}</dd>
                      <dt>${m.reviewBy}</dt>
                      <dd>${d.reviewBy ?? ''}</dd>
                      ${
                        d.reason
                          ? html`<dt>${m.reason}</dt>
                              <dd>${d.reason}</dd>`
                          : ''
                      }
                    </dl>
                  </div>`,
              )
        }
      </section>

      <section aria-labelledby="h-med">
        <h2 id="h-med">${m.medication}</h2>
        <p><strong>${m.medicationLaterDoses}</strong></p>
        ${
          v.medications.length === 0
            ? html`<p>${m.medicationNone}</p>`
            : html`<table>
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
              </table>`
        }
      </section>

      <section aria-labelledby="h-notes">
        <h2 id="h-notes">${m.notes}</h2>
        ${
          v.notes.length === 0
            ? html`<p>${m.notesNone}</p>`
            : v.notes.map(
                (n) =>
                  html`<div class="note" data-testid="note">
                    <span class="muted"
                      >${formatDateTime(n.date, ctx.timeZone)}${n.regime ? ` · ${n.regime}` : ''}</span
                    >
                    <p class="note-text">${n.text}</p>
                  </div>`,
              )
        }
      </section>

      <section aria-labelledby="h-contacts">
        <h2 id="h-contacts">${m.contacts}</h2>
        ${
          v.contacts.length === 0
            ? html`<p>${m.contactsNone}</p>`
            : html`<ul>
                ${v.contacts.map(
                  (c) =>
                    html`<li>
                      <strong>${c.name}</strong
                      >${c.relationship ? ` (${c.relationship})` : ''}${c.phone ? html` – ${c.phone}` : ''}${c.mayReceiveInformation === false ? html` <span class="flagged">${m.mayNotReceiveInformation}</span>` : ''}
                    </li>`,
                )}
              </ul>`
        }
      </section>`,
  );
}
