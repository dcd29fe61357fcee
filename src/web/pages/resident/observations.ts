/**
 * Latest measurements (weight, glucose, INR first), values exactly as in the source with unit
 * and date; then diet and texture where the copy has a diet order, and diagnoses.
 */
import type { ResidentView } from '../../../views/resident.ts';
import { html } from '../../html.ts';
import type { PageContext } from '../../layout.ts';
import { dateNote, section, when, type Body } from './section.ts';
import { sectionBadge } from './badge.ts';

export function observationsHeading(ctx: PageContext): Body {
  return html`<h2 id="h-obs">${ctx.m.resident.observations}</h2>
    ${sectionBadge(ctx, 'observations')}`;
}

export function observationsSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  return section(
    'obs',
    observationsHeading(ctx),
    v.observations.length === 0
      ? html`<p>${t.observationsNone}</p>`
      : html`<div class="table-wrap">
          <table class="observations">
            <thead>
              <tr>
                <th scope="col">${t.observationWhat}</th>
                <th scope="col">${t.observationValue}</th>
                <th scope="col">${t.observationDate}</th>
                <th scope="col">${t.observationPrevious}</th>
              </tr>
            </thead>
            <tbody>
              ${v.observations.map(
                (o) =>
                  html`<tr data-testid="observation" data-kind="${o.kind}">
                    <th scope="row">${o.label}</th>
                    <td><strong class="value">${o.latest.value}</strong></td>
                    <td>${when(ctx, o.latest.date)}</td>
                    <td>
                      ${o.previous ? html`${o.previous.value}${dateNote(ctx, o.previous.date)}` : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`,
  );
}

export function dietHeading(ctx: PageContext): Body {
  return html`<h2 id="h-diet">${ctx.m.resident.diet}</h2>`;
}

/** Only when the copy has a diet order in force ("where present"). */
export function dietSection(ctx: PageContext, v: ResidentView): Body | '' {
  const t = ctx.m.resident;
  if (v.diet.length === 0) return '';
  return section(
    'diet',
    dietHeading(ctx),
    v.diet.map(
      (d) =>
        html`<dl class="identity diet" data-testid="diet">
          ${
            d.diet
              ? html`<dt>${t.dietKind}</dt>
                  <dd><strong>${d.diet}</strong>${dateNote(ctx, d.since)}</dd>`
              : ''
          }
          ${
            d.texture
              ? html`<dt>${t.dietTexture}</dt>
                  <dd><strong>${d.texture}</strong></dd>`
              : ''
          }
          ${
            d.fluid
              ? html`<dt>${t.dietFluid}</dt>
                  <dd><strong>${d.fluid}</strong></dd>`
              : ''
          }
          ${
            d.avoid
              ? html`<dt>${t.dietAvoid}</dt>
                  <dd>${d.avoid}</dd>`
              : ''
          }
          ${
            d.supplements
              ? html`<dt>${t.dietSupplements}</dt>
                  <dd>${d.supplements}</dd>`
              : ''
          }
          ${
            d.instruction
              ? html`<dt>${t.dietInstruction}</dt>
                  <dd class="note-text">${d.instruction}</dd>`
              : ''
          }
        </dl>`,
    ),
  );
}

export function diagnosesHeading(ctx: PageContext): Body {
  return html`<h2 id="h-diagnoses">${ctx.m.resident.diagnoses}</h2>
    ${sectionBadge(ctx, 'diagnoses')}`;
}

export function diagnosesSection(ctx: PageContext, v: ResidentView): Body {
  const t = ctx.m.resident;
  return section(
    'diagnoses',
    diagnosesHeading(ctx),
    v.diagnoses.length === 0
      ? html`<p>${t.diagnosesNone}</p>`
      : html`<ul>
          ${v.diagnoses.map(
            (d) =>
              html`<li>
                ${d.text}${d.code ? html` <span class="muted">${d.code}</span>` : ''}${d.since ? html` <span class="muted">(${when(ctx, d.since)})</span>` : ''}
              </li>`,
          )}
        </ul>`,
  );
}
