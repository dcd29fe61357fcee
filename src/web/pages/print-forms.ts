/**
 * The print buttons: a small form on the resident page (summary, medication list or signing
 * sheet for 24–72 hours) and on the unit page (the unit pack). They post to /utskrift/…, which
 * audits and then answers with the PDF.
 */
import { html } from '../html.ts';
import type { PageContext } from '../layout.ts';

function hoursSelect(ctx: PageContext, id: string) {
  const { m } = ctx;
  return html`<label for="${id}">${m.printFormHours}</label>
    <select id="${id}" name="hours">
      ${[24, 48, 72].map(
        (h) =>
          html`<option value="${h}">${m.printFormHoursOption.replace('{h}', String(h))}</option>`,
      )}
    </select>`;
}

export function residentPrintForm(ctx: PageContext, patientId: string) {
  const { m } = ctx;
  return html`<section class="print-form" aria-labelledby="h-print">
    <h2 id="h-print">${m.printFormTitle}</h2>
    <form method="post" action="/utskrift/boende/${encodeURIComponent(patientId)}">
      <label for="print-doc">${m.printFormDocument}</label>
      <select id="print-doc" name="doc">
        <option value="sammanfattning">${m.printFormSummary}</option>
        <option value="lakemedel">${m.printFormMedication}</option>
        <option value="signering">${m.printFormSigning}</option>
        <option value="anteckning">${m.printFormNoteForm}</option>
      </select>
      ${hoursSelect(ctx, 'print-hours')}
      <button type="submit">${m.printFormButton}</button>
    </form>
    <p class="muted">${m.printFormNote}</p>
  </section>`;
}

export function unitPrintForm(ctx: PageContext, unitId: string, homeCare: boolean) {
  const { m } = ctx;
  const action = `/utskrift/enhet/${encodeURIComponent(unitId)}`;
  return html`<section class="print-form" aria-labelledby="h-print">
    <h2 id="h-print">${m.printFormTitle}</h2>
    <p>${m.printFormUnitPack}</p>
    <form method="post" action="${action}">
      <input type="hidden" name="doc" value="enhetspaket" />
      ${hoursSelect(ctx, 'print-hours')}
      <button type="submit">${m.printFormUnitButton}</button>
    </form>
    ${
      homeCare
        ? html`<form method="post" action="${action}">
            <input type="hidden" name="doc" value="rutt" />
            <label for="print-day">${m.printFormRouteDay}</label>
            <select id="print-day" name="day">
              <option value="idag">${m.printFormToday}</option>
              <option value="imorgon">${m.printFormTomorrow}</option>
            </select>
            <button type="submit">${m.printFormRouteButton}</button>
          </form>`
        : ''
    }
    <form method="post" action="${action}">
      <input type="hidden" name="doc" value="anteckningar" />
      <button type="submit">${m.printFormNotesButton}</button>
    </form>
    <form method="post" action="${action}">
      <input type="hidden" name="doc" value="overforing" />
      <label for="print-from">${m.printFormFrom}</label>
      <input id="print-from" type="date" name="from" />
      <label for="print-to">${m.printFormTo}</label>
      <input id="print-to" type="date" name="to" />
      <button type="submit">${m.printFormChecklistButton}</button>
    </form>
    <p class="muted">${m.printFormNote}</p>
  </section>`;
}
