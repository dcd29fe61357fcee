/**
 * The "changed since the previous copy" badge under a section heading. The resident page puts
 * the badges it has computed into the page context (`ResidentContext.badges`); a section without
 * changes, or a page without a previous copy, gets nothing.
 */
import type { ChangeSection } from '../../../views/change-sections.ts';
import type { PageContext } from '../../layout.ts';
import type { Body } from './section.ts';

export interface ResidentContext extends PageContext {
  readonly badges?: Partial<Record<ChangeSection, Body>>;
}

export function sectionBadge(ctx: ResidentContext, section: ChangeSection): Body | '' {
  return ctx.badges?.[section] ?? '';
}
