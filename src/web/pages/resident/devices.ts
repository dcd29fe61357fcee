/** Assistive devices and the safety alarm, the alarm first (home care says if there is none). */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { section, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function devicesHeading(ctx: PageContext): Body {
  return html`<h2 id="h-devices">${ctx.m.resident.devices}</h2>
    ${sectionBadge(ctx, 'devices')}`;
}

export function devicesSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  const hasAlarm = v.devices.some((d) => d.safetyAlarm);
  return section(
    'devices',
    devicesHeading(ctx),
    v.homeCare && !hasAlarm ? html`<p>${t.noSafetyAlarm}</p>` : '',
    v.devices.length === 0
      ? v.homeCare
        ? ''
        : html`<p>${t.devicesNone}</p>`
      : html`<ul class="devices">
          ${v.devices.map(
            (d) =>
              html`<li data-testid="device" ${d.safetyAlarm ? html` class="safety-alarm"` : ''}>
                ${d.safetyAlarm ? html`<span class="tag">${t.safetyAlarm}</span> ` : ''}<strong>${d.name}</strong>${d.notes.map((n) => html`<br /><span class="note-text">${n}</span>`)}
              </li>`,
          )}
        </ul>`,
  );
}
