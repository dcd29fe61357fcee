/** The error page: what happened and what to do, in Swedish, with the stable code. Never a stack. */
import type { ReservError } from '../../core/errors.ts';
import { errorTexts, isLang } from '../../i18n/messages.ts';
import { html } from '../html.ts';
import { barePage, type FrameContext } from '../layout.ts';

export function errorPage(ctx: FrameContext, error: ReservError) {
  const sv = ctx.m;
  const text = errorTexts(isLang(sv.lang) ? sv.lang : 'sv')[error.code] ?? {
    message: error.message,
    hint: error.hint,
  };
  const title = error.httpStatus === 404 ? sv.notFoundTitle : sv.errorTitle;
  const signIn =
    error.httpStatus === 401 ? html`<p><a href="/logga-in">${sv.signInTitle}</a></p>` : '';
  return barePage(
    ctx,
    title,
    html`<h1>${title}</h1>
      <p>${text.message}</p>
      <p><strong>${sv.whatToDo}:</strong> ${text.hint}</p>
      ${signIn}
      <p class="muted">${sv.errorCode}: ${error.code}</p>`,
  );
}
