/**
 * The per-unit disclosure query behind the transfer checklist, on a real encrypted audit log:
 * grouped per patient with the counts of views and prints, first and last times, the users and
 * the documents printed; only successful views and prints of the unit inside the period count.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../src/audit/vocabulary.ts';
import { auditFixture } from './fixture.ts';

const fx = auditFixture('audit-disclosures');
const log = fx.open();
afterAll(() => log.close());

const UNIT = 'unit-solgarden';
const base = { outcome: 'success', user: 'anna.nurse', role: 'nurse', unit: UNIT } as const;
const view = (patient: string, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  ...base,
  action: 'view',
  patient,
  patientIdent: `ident-${patient}`,
  ...extra,
});
const print = (patient: string, reason: string | undefined, extra: Partial<AuditEventInput> = {}) =>
  view(patient, { action: 'print', ...(reason ? { reason } : {}), ...extra });

function at(iso: string, events: AuditEventInput[]): void {
  fx.clock.set(iso);
  log.append(events);
}

// Before the period.
at('2026-11-27T05:59:59.999Z', [view('pat-1'), print('pat-2', 'unit-pack')]);
// In it (from inclusive).
at('2026-11-27T06:00:00.000Z', [view('pat-1'), print('pat-1', 'unit-pack')]);
at('2026-11-27T07:00:00.000Z', [
  view('pat-1', { user: 'bo.staff', role: 'staff' }),
  print('pat-1', 'note-form'),
  print('pat-2', undefined, { user: 'cecilia.oncall', flags: ['break-glass'] }),
  // Not disclosures, or not of this unit: left out.
  view('pat-3', { outcome: 'failure' }),
  { ...base, action: 'denied', outcome: 'denied', patient: 'pat-3', reason: 'unit' },
  { ...base, action: 'search', resources: ['Patient/pat-3'] },
  { ...base, action: 'export', patient: 'pat-3' },
  view('pat-4', { unit: 'unit-kortis' }),
  { ...base, action: 'view' },
]);
at('2026-11-27T09:30:00.000Z', [print('pat-1', 'unit-pack', { patientIdent: '191212121212' })]);
// At the end (to exclusive) and after.
at('2026-11-27T10:00:00.000Z', [view('pat-1'), print('pat-3', 'unit-pack')]);

const PERIOD = { unitId: UNIT, from: '2026-11-27T06:00:00.000Z', to: '2026-11-27T10:00:00.000Z' };

describe('disclosures per unit', () => {
  it('groups the unit’s successful views and prints in the period by patient', () => {
    expect(log.disclosures(PERIOD)).toEqual([
      {
        patient: 'pat-1',
        patientIdent: '191212121212',
        views: 2,
        prints: 3,
        first: '2026-11-27T06:00:00.000Z',
        last: '2026-11-27T09:30:00.000Z',
        firstView: '2026-11-27T06:00:00.000Z',
        lastView: '2026-11-27T07:00:00.000Z',
        users: ['anna.nurse', 'bo.staff'],
        documents: [
          {
            reason: 'unit-pack',
            count: 2,
            first: '2026-11-27T06:00:00.000Z',
            last: '2026-11-27T09:30:00.000Z',
          },
          {
            reason: 'note-form',
            count: 1,
            first: '2026-11-27T07:00:00.000Z',
            last: '2026-11-27T07:00:00.000Z',
          },
        ],
      },
      {
        patient: 'pat-2',
        patientIdent: 'ident-pat-2',
        views: 0,
        prints: 1,
        first: '2026-11-27T07:00:00.000Z',
        last: '2026-11-27T07:00:00.000Z',
        firstView: null,
        lastView: null,
        users: ['cecilia.oncall'],
        documents: [
          {
            reason: null,
            count: 1,
            first: '2026-11-27T07:00:00.000Z',
            last: '2026-11-27T07:00:00.000Z',
          },
        ],
      },
    ]);
  });

  it('is empty for another unit or an empty period', () => {
    expect(log.disclosures({ ...PERIOD, unitId: 'unit-none' })).toEqual([]);
    expect(log.disclosures({ ...PERIOD, to: PERIOD.from })).toEqual([]);
    expect(log.disclosures({ ...PERIOD, unitId: 'unit-kortis' }).map((d) => d.patient)).toEqual([
      'pat-4',
    ]);
  });

  it('throws AUDIT_UNAVAILABLE when the log cannot be read', () => {
    const closed = fx.open();
    closed.close();
    expect(() => closed.disclosures(PERIOD)).toThrow(
      expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }),
    );
  });
});
