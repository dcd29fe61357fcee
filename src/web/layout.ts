/**
 * The page frame: header, the data-age banner (on every page, also when printed), and content.
 */
import type { Freshness } from '../core/freshness.ts';
import type { Messages } from '../i18n/messages.ts';
import { formatAge, formatDateTime } from './format.ts';
import { html, type HtmlEscapedString } from './html.ts';

export interface PageContext {
  readonly m: Messages;
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
  </div>`;
}

/** The document frame every page shares; `banner` is the data-age banner when there is data. */
function frame(m: Messages, title: string, banner: Body | '', body: Body): Body {
  return html`<!doctype html>
    <html lang="sv">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${m.appName}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">${m.skipToContent}</a>
        <header class="top">
          <a href="/">${m.appName}</a>
          <span class="tagline">${m.tagline}</span>
        </header>
        ${banner}
        <main id="main">${body}</main>
      </body>
    </html>`;
}

export function page(ctx: PageContext, title: string, body: Body): Body {
  return frame(ctx.m, title, ageBanner(ctx), body);
}

/** A page for when there is no snapshot to date (errors before data is loaded). */
export function barePage(m: Messages, title: string, body: Body): Body {
  return frame(m, title, '', body);
}
