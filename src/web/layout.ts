/**
 * The page frame: header with the signed-in person and their sign-out and switch-user buttons,
 * the data-age banner (on every page with data, also when printed), and content.
 */
import type { Freshness } from '../core/freshness.ts';
import type { Messages } from '../i18n/messages.ts';
import { IDLE_MS } from '../auth/sessions.ts';
import type { Role } from '../auth/policy.ts';
import { formatAge, formatDateTime } from '../views/format.ts';
import { html, type HtmlEscapedString } from './html.ts';

export interface PageUser {
  readonly displayName: string;
  readonly role: Role;
  readonly emergency: boolean;
}

/** What every page knows about its request. */
export interface FrameContext {
  readonly m: Messages;
  /** The CSP nonce of this response: the only scripts that run carry it. */
  readonly nonce: string;
  readonly user?: PageUser | undefined;
  /** The path of this page, so the language switch can come back to it. */
  readonly path?: string;
}

/** A page that shows data from a snapshot: the snapshot's age is always on it. */
export interface PageContext extends FrameContext {
  readonly timeZone: string;
  readonly transactionTime: string;
  readonly freshness: Freshness;
}

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

export function ageBanner(ctx: PageContext): Body {
  const { m, freshness } = ctx;
  const advice =
    freshness.state === 'critical'
      ? m.freshnessCritical
      : freshness.state === 'warning'
        ? m.freshnessWarning
        : undefined;
  return html`<div class="age ${freshness.state}" role="status" data-testid="data-age">
    ${m.dataAsOf}
    <time datetime="${ctx.transactionTime}"
      >${formatDateTime(ctx.transactionTime, ctx.timeZone)}</time
    >
    (${formatAge(freshness.ageMs, m)}) ${advice ? html`<span class="advice">${advice}</span>` : ''}
    <a class="age-status" href="/status">${m.statusBannerLink}</a>
  </div>`;
}

function userBar(ctx: FrameContext): Body | '' {
  const { m, user } = ctx;
  if (!user) return '';
  return html`<div class="user" data-testid="user-bar">
    <span
      >${m.signedInAs} <strong>${user.displayName}</strong> (${m.roleNames[user.role]})${
        user.emergency ? html` <span class="badge">${m.emergencyBadge}</span>` : ''
      }</span
    >
    ${user.role === 'oncall' ? html`<a href="/jour">${m.oncallLink}</a>` : ''}
    <form method="post" action="/logga-ut">
      <button type="submit" name="next" value="switch">${m.switchUser}</button>
      <button type="submit">${m.signOut}</button>
    </form>
  </div>`;
}

function languageSwitch(ctx: FrameContext): Body {
  const other = ctx.m.lang === 'en' ? 'sv' : 'en';
  return html`<form class="lang" method="post" action="/sprak">
    <input type="hidden" name="back" value="${ctx.path ?? '/'}" />
    <button type="submit" name="lang" value="${other}" lang="${other}">
      ${ctx.m.otherLanguage}
    </button>
  </form>`;
}

/** The document frame every page shares; `banner` is the data-age banner when there is data. */
function frame(ctx: FrameContext, title: string, banner: Body | '', body: Body): Body {
  const { m } = ctx;
  return html`<!doctype html>
    <html lang="${m.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${m.appName}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        ${
          ctx.user
            ? html`<script
                nonce="${ctx.nonce}"
                src="/assets/idle.js"
                data-idle-ms="${IDLE_MS}"
                defer
              ></script>`
            : ''
        }
      </head>
      <body>
        <a class="skip" href="#main">${m.skipToContent}</a>
        <header class="top">
          <a href="/">${m.appName}</a>
          <span class="tagline">${m.tagline}</span>
          ${userBar(ctx)} ${languageSwitch(ctx)}
        </header>
        ${banner}
        <main id="main">${body}</main>
      </body>
    </html>`;
}

export function page(ctx: PageContext, title: string, body: Body): Body {
  return frame(ctx, title, ageBanner(ctx), body);
}

/** A page without snapshot data (sign-in, errors before data is loaded, the log review). */
export function barePage(ctx: FrameContext, title: string, body: Body): Body {
  return frame(ctx, title, '', body);
}
