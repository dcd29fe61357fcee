/**
 * Asking for a reason before opening a resident outside one's units. The page names no one: the
 * resident's data is disclosed only after the reason is logged.
 */
import { html } from '../html.ts';
import { page, type PageContext } from '../layout.ts';

export function breakGlassPage(
  ctx: PageContext,
  patientId: string,
  options: { reason?: string; tooShort?: boolean } = {},
) {
  const { m } = ctx;
  return page(
    ctx,
    m.breakGlassTitle,
    html`<nav><a href="/">${m.backToUnits}</a></nav>
      <h1>${m.breakGlassTitle}</h1>
      <p>${m.breakGlassIntro}</p>
      ${
        options.tooShort
          ? html`<p class="notice error" role="alert">${m.breakGlassReasonTooShort}</p>`
          : ''
      }
      <form
        class="stack"
        method="post"
        action="/boende/${encodeURIComponent(patientId)}/nodatkomst"
      >
        <label
          >${m.breakGlassReason}
          <textarea name="reason" rows="3" minlength="10" maxlength="500" required>
${options.reason ?? ''}</textarea>
        </label>
        <button type="submit">${m.breakGlassButton}</button>
      </form>`,
  );
}
