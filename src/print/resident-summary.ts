/**
 * The resident summary: one page where the content allows, in the order of what matters in an
 * outage (domain brief §3): identity, alerts and allergies, the resuscitation decision and other
 * limits of treatment, palliative status, a medication overview, risks with their measures, and
 * whom to call.
 *
 * Two things never appear: key and door information (the view model does not carry it, and the
 * summary does not even say that some exists), and the address or phone of a person with
 * protected identity (the view model does not carry them either; the summary also checks the
 * flag itself and prints only that the identity is protected). A resuscitation decision is never
 * printed without its date: an undated one prints the warning that it cannot be followed.
 */
import type { CarePlanItem, ResidentView, ResuscitationDecision } from '../views/resident.ts';
import { renderDocument } from './document.ts';
import { BOLD, bullet, gap, heading, paragraph, SMALL, title } from './flow.ts';
import { medicationName, prnTexts, weekdays } from './medication-text.ts';
import { residentOwner, when, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import { table } from './table.ts';

function identity(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  const p = v.patient;
  const label = (text: string) => ({ text, font: 'bold' as const });
  const flagged = p.identKind !== 'reservnummer' && p.identValid === 0;
  const rows = [
    [
      label(m.personnummer),
      `${v.identityDisplay}${flagged ? ` – ${m.identityFlagged}` : ''}`,
      label(m.birthDate),
      p.birthDate ?? '',
    ],
    [
      label(m.unit),
      [p.unitName, p.room].filter(Boolean).join(', '),
      // Never an address for protected identity, whatever the view model holds.
      p.protected || v.address ? label(m.address) : '',
      p.protected ? { text: m.protectedAddress, font: 'bold' as const } : (v.address ?? ''),
    ],
  ];
  const phone = p.protected ? undefined : v.phone;
  // A label only beside a value, as for the address: no "Språk" standing alone.
  if (phone || v.language)
    rows.push([
      phone ? label(m.phone) : '',
      phone ?? '',
      v.language ? label(m.resident.language) : '',
      v.language ?? '',
    ]);
  table(
    doc,
    {
      columns: [
        { header: '', width: 16 },
        { header: '', width: 34 },
        { header: '', width: 14 },
        { header: '', width: 36 },
      ],
      header: false,
      borders: false,
      size: 9,
      padding: 1.5,
    },
    rows,
  );
}

function alerts(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  heading(doc, m.alertsAndAllergies);
  if (v.alerts.length === 0) return paragraph(doc, m.noAlerts);
  for (const a of v.alerts) {
    const since = a.since ? ` (${when(a.since, meta.timeZone)})` : '';
    const severe = a.criticality === 'high' ? ` – ${m.resident.criticalityHigh}` : '';
    bullet(
      doc,
      `${a.text || m.resident.unknownSubstance}${a.detail ? ` – ${a.detail}` : ''}${severe}${since}`,
    );
  }
}

/** One decision on one line where it fits; the date is part of the same text as the title. */
function decision(meta: PrintMeta, d: ResuscitationDecision, what: string): string[] {
  const { m } = meta;
  const t = m.resident;
  const by = `${m.decidedBy} ${d.physician ?? t.missing}`;
  if (!d.dated) return [t.resuscitationUndated, `${by} · ${m.decidedOn}: ${t.missing}`];
  const review = d.reviewBy ? when(d.reviewBy, meta.timeZone) : t.missing;
  return [
    `${what} – ${by} · ${m.decidedOn} ${when(d.decidedOn, meta.timeZone)} · ${m.reviewBy} ${review}`,
    ...(d.reviewOverdue ? [t.resuscitationReviewOverdue] : []),
    ...(d.reason ? [`${m.reason}: ${d.reason}`] : []),
  ];
}

function resuscitation(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  heading(doc, m.resuscitation);
  if (v.resuscitation.length === 0) paragraph(doc, m.resuscitationNone);
  for (const d of v.resuscitation) {
    const [first, ...rest] = decision(meta, d, d.doNotPerform ? m.resuscitationNotPerform : d.text);
    paragraph(doc, first!, BOLD);
    for (const line of rest) paragraph(doc, line, SMALL, { indent: 10 });
  }
  for (const d of v.treatmentLimits) {
    const [first, ...rest] = decision(meta, d, `${m.resident.doNotPerform}: ${d.text}`);
    paragraph(doc, first!, BOLD);
    for (const line of rest) paragraph(doc, line, SMALL, { indent: 10 });
  }
}

function palliative(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const t = meta.m.resident;
  const p = v.palliative;
  heading(doc, t.palliative);
  if (!p.active) return paragraph(doc, t.palliativeNone);
  const since = p.since ? ` (${t.palliativeSince} ${when(p.since, meta.timeZone)})` : '';
  paragraph(doc, `${p.text ?? t.palliative}${since}`, BOLD);
  if (p.injections.length > 0) {
    paragraph(doc, `${t.palliativeInjections}:`);
    for (const i of p.injections) bullet(doc, `${medicationName(meta.m, i)} – ${i.dosageText}`);
  }
}

function medication(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  heading(doc, m.print.medicationOverview);
  if (v.medications.length === 0) return paragraph(doc, m.medicationNone);
  table(
    doc,
    {
      columns: [
        { header: m.medication, width: 30 },
        { header: m.dosageText, width: 46 },
        { header: m.times, width: 24 },
      ],
      size: 8,
      padding: 2,
    },
    v.medications.map((med) => [
      { text: medicationName(m, med), font: 'bold' },
      med.dosageText,
      med.asNeeded
        ? prnTexts(m, med)[0]!
        : [med.times.join(', '), weekdays(m, med)].filter(Boolean).join(' – '),
    ]),
  );
}

function planLines(p: CarePlanItem): string[] {
  return p.activities.map((a) => `${a.text}${a.when ? ` (${a.when})` : ''}`);
}

function risks(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  const t = m.resident;
  const { risks: items, measurePlans } = v.risks;
  heading(doc, t.risks);
  if (items.length === 0 && measurePlans.length === 0) return paragraph(doc, t.risksNone);
  const levels = t.riskLevel as Record<string, string>;
  for (const r of items) {
    const level = (r.level ? levels[r.level] : undefined) ?? r.levelText ?? r.level;
    const measures = [r.mitigation, ...r.plans.flatMap(planLines)].filter(Boolean).join(' · ');
    bullet(
      doc,
      `${r.outcome ?? r.title}${level ? ` – ${level}` : ''}. ${m.print.measures}: ${measures || t.riskMeasuresNone}`,
    );
  }
  const more = measurePlans.flatMap(planLines);
  if (more.length > 0) bullet(doc, `${t.riskOtherMeasures}: ${more.join(' · ')}`);
}

function contacts(doc: PrintDocument, meta: PrintMeta, v: ResidentView): void {
  const { m } = meta;
  heading(doc, m.contacts);
  const relatives = v.contacts.map(
    (c) =>
      `${c.name}${c.relationship ? ` (${c.relationship})` : ''}${c.phone ? ` – ${c.phone}` : ''}${c.mayReceiveInformation === false ? ` – ${m.mayNotReceiveInformation}` : ''}`,
  );
  paragraph(
    doc,
    `${m.print.relatives}: ${relatives.length > 0 ? relatives.join('; ') : m.contactsNone}`,
  );
  if (v.careContacts.length > 0)
    paragraph(
      doc,
      `${m.print.careContacts}: ${v.careContacts
        .map(
          (c) =>
            `${m.resident.careContactKind[c.kind]}: ${c.name}${c.phone ? ` – ${c.phone}` : ''}`,
        )
        .join('; ')}`,
    );
}

/** Write the summary into `doc`, starting on a new page. */
export function writeResidentSummary(
  doc: PrintDocument,
  meta: PrintMeta,
  view: ResidentView,
): void {
  const { m } = meta;
  doc.newPage(residentOwner(view));
  const where = [view.patient.unitName, view.patient.room].filter(Boolean).join(', ');
  title(doc, `${m.print.summaryTitle}: ${view.patient.nameDisplay}`, where);
  identity(doc, meta, view);
  gap(doc, 2);
  alerts(doc, meta, view);
  resuscitation(doc, meta, view);
  palliative(doc, meta, view);
  medication(doc, meta, view);
  risks(doc, meta, view);
  contacts(doc, meta, view);
}

export function renderResidentSummary(meta: PrintMeta, view: ResidentView): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeResidentSummary(doc, meta, view));
}
