/**
 * HTML templating for the station: Hono's `html` tag escapes every interpolated value, so
 * journal text (which may contain markup or script) is always shown as text. Raw output needs an
 * explicit `raw()` and is used only for markup built here from escaped parts.
 */
export { html, raw } from 'hono/html';
export type { HtmlEscapedString } from 'hono/utils/html';
