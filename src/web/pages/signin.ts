/**
 * The sign-in page: an account form, an emergency-code form, and whom to call. A night worker
 * who cannot get in must see a next step on this page without asking anyone where to look.
 */
import type { Config } from '../../config/config.ts';
import { html } from '../html.ts';
import { barePage, type FrameContext } from '../layout.ts';

export interface SignInNotice {
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export function signInPage(
  ctx: FrameContext,
  contacts: Config['contacts'],
  notice?: SignInNotice,
  values: { name?: string; holder?: string } = {},
) {
  const { m } = ctx;
  const phones = [
    contacts.onCallManager
      ? html`<li>${m.callOnCallManager}: <strong>${contacts.onCallManager}</strong></li>`
      : '',
    contacts.nurse ? html`<li>${m.callNurse}: <strong>${contacts.nurse}</strong></li>` : '',
  ];
  const anyContact = contacts.onCallManager !== null || contacts.nurse !== null;
  return barePage(
    ctx,
    m.signInTitle,
    html`<h1>${m.signInTitle}</h1>
      ${
        notice
          ? html`<p
              class="notice ${notice.kind}"
              role="${notice.kind === 'error' ? 'alert' : 'status'}"
              data-testid="notice"
            >
              ${notice.text}
            </p>`
          : ''
      }
      <p>${m.signInIntro}</p>
      <form class="stack" method="post" action="/logga-in" autocomplete="off">
        <label
          >${m.userName}
          <input
            name="name"
            value="${values.name ?? ''}"
            autocomplete="username"
            autofocus
            required
        /></label>
        <label
          >${m.password}
          <input type="password" name="password" autocomplete="current-password" required
        /></label>
        <label
          >${m.oneTimeCode} <input name="code" inputmode="numeric" autocomplete="one-time-code"
        /></label>
        <button type="submit">${m.signInButton}</button>
      </form>
      <section aria-labelledby="emergency">
        <h2 id="emergency">${m.emergencyTitle}</h2>
        <p>${m.emergencyIntro}</p>
        <h3>${m.whomToCall}</h3>
        ${
          anyContact
            ? html`<ul class="contacts">
                ${phones}
              </ul>`
            : html`<p>${m.contactsMissing}</p>`
        }
        ${contacts.instructions ? html`<p>${contacts.instructions}</p>` : ''}
        <form class="stack" method="post" action="/logga-in/nodkod" autocomplete="off">
          <label
            >${m.emergencyCode} <input name="code" autocapitalize="characters" required
          /></label>
          <label
            >${m.yourName}
            <input name="holder" value="${values.holder ?? ''}" autocomplete="name" required
          /></label>
          <button type="submit">${m.emergencyButton}</button>
        </form>
      </section>`,
  );
}
