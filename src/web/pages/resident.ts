/**
 * The resident page, sections in the order a night shift needs them (issue 5, domain brief §3):
 * identity, alerts and allergies, the resuscitation decision, palliative status, medication,
 * risks and measures, care plans, notes, contacts, devices, visits, measurements, diet,
 * diagnoses, and anything else the copy holds. Each section is rendered by its own module under
 * ./resident/. Everything from the journal is escaped text. Key and door information is never on
 * this page: at most a button that opens it through an audited route.
 */
import type { ResidentView } from '../../views/resident.ts';
import { CHANGE_SECTIONS, type ChangeSection } from '../../views/change-sections.ts';
import type { ResidentChanges } from '../../views/changes.ts';
import { html } from '../html.ts';
import { changeBadge } from './changes.ts';
import { residentPrintForm } from './print-forms.ts';
import type { ResidentContext } from './resident/badge.ts';
import type { Body } from './resident/section.ts';
import { page, type PageContext } from '../layout.ts';
import { alertsSection, palliativeSection, resuscitationSection } from './resident/alerts.ts';
import { careSection } from './resident/care.ts';
import { contactsSection } from './resident/contacts.ts';
import { devicesSection } from './resident/devices.ts';
import { identitySection } from './resident/identity.ts';
import { medicationSection } from './resident/medication.ts';
import { notesSection } from './resident/notes.ts';
import { diagnosesSection, dietSection, observationsSection } from './resident/observations.ts';
import { otherSection } from './resident/other.ts';
import { risksSection } from './resident/risks.ts';
import { visitsSection } from './resident/visits.ts';

export interface ResidentPageOptions {
  /**
   * The access policy allows this user to view the person's key and door information
   * (`authorize(subject, 'keys', 'view', …)`): only then is the button shown.
   */
  readonly mayViewKeys?: boolean;
  /** The policy lets this user print the person's documents: the print form is shown. */
  readonly mayPrint?: boolean;
  /** What changed since the previous copy, when the station has one. */
  readonly changes?: ResidentChanges | undefined;
}

function badges(ctx: PageContext, changes: ResidentChanges | undefined): ResidentContext['badges'] {
  if (!changes || changes.newResident) return {};
  const out: Partial<Record<ChangeSection, Body>> = {};
  for (const s of CHANGE_SECTIONS) {
    const badge = changeBadge(ctx, changes.sections[s]);
    if (badge !== '') out[s] = badge;
  }
  return out;
}

export function residentPage(
  pageCtx: PageContext,
  v: ResidentView,
  options: ResidentPageOptions = {},
) {
  const ctx: ResidentContext = { ...pageCtx, badges: badges(pageCtx, options.changes) };
  const { m } = ctx;
  const p = v.patient;
  const visits = v.homeCare || v.visits.length > 0;
  return page(
    ctx,
    p.nameDisplay,
    html`<nav>
        <a href="/">${m.backToUnits}</a
        >${p.unitId ? html` › <a href="/enhet/${encodeURIComponent(p.unitId)}">${p.unitName ?? p.unitId}</a>` : ''}
      </nav>
      <h1>
        ${p.nameDisplay}
        <span class="muted">${v.identityDisplay}</span
        >${p.protected ? html` <span class="badge">${m.resident.protectedBadge}</span>` : ''}
      </h1>

      ${options.mayPrint ? residentPrintForm(ctx, p.id) : ''}
      ${options.changes?.newResident ? changeBadge(ctx, [], { newResident: true }) : ''}
      ${v.unreadable > 0 ? html`<p class="flagged" role="note">${m.unreadable.replace('{n}', String(v.unreadable))}</p>` : ''}
      ${identitySection(ctx, v, options.mayViewKeys === true)} ${alertsSection(ctx, v)}
      ${resuscitationSection(ctx, v)} ${palliativeSection(ctx, v)} ${medicationSection(ctx, v)}
      ${risksSection(ctx, v)} ${careSection(ctx, v)} ${notesSection(ctx, v)}
      ${contactsSection(ctx, v)} ${devicesSection(ctx, v)} ${visits ? visitsSection(ctx, v) : ''}
      ${observationsSection(ctx, v)} ${dietSection(ctx, v)} ${diagnosesSection(ctx, v)}
      ${otherSection(ctx, v)}`,
  );
}
