/** The error page: what happened and what to do, in Swedish, with the stable code. Never a stack. */
import type { ReservError } from '../../core/errors.ts';
import { sv, WEB_ERRORS_SV } from '../../i18n/messages.ts';
import { html } from '../html.ts';
import { barePage } from '../layout.ts';

export function errorPage(error: ReservError) {
  const text = WEB_ERRORS_SV[error.code] ?? { message: error.message, hint: error.hint };
  const title = error.httpStatus === 404 ? sv.notFoundTitle : sv.errorTitle;
  return barePage(
    sv,
    title,
    html`<h1>${title}</h1>
      <p>${text.message}</p>
      <p><strong>${sv.whatToDo}:</strong> ${text.hint}</p>
      <p class="muted">${sv.errorCode}: ${error.code}</p>`,
  );
}
