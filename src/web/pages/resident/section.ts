/**
 * Shared pieces of the resident page's sections: the section frame and small formatters. Each
 * section module keeps its `<h2>` in a small function of its own, so that a marker (a "changed
 * since the previous copy" badge, say) can be added to one heading without touching the rest.
 */
import type { HtmlEscapedString } from '../../html.ts';
import { html } from '../../html.ts';
import { formatDateTime } from '../../../views/format.ts';
import type { PageContext } from '../../layout.ts';

export type Body = HtmlEscapedString | Promise<HtmlEscapedString>;
export type Part = Body | Body[] | string;

/** A section labelled by its heading (whose element id is `h-<id>`). */
export function section(id: string, heading: Body, ...body: Part[]): Body {
  return html`<section aria-labelledby="h-${id}" data-section="${id}">${heading}${body}</section>`;
}

/** A date or date-time as written (dates) or in the station's time zone (instants). */
export function when(ctx: PageContext, value: string | undefined): string {
  return formatDateTime(value, ctx.timeZone);
}

/** "{n}"-style placeholders filled in; values are escaped by the template that shows them. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

/** A muted "(date)" after a line, or nothing. */
export function dateNote(ctx: PageContext, value: string | undefined): Body | '' {
  return value ? html` <span class="muted">(${when(ctx, value)})</span>` : '';
}
