import { statSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ensureAuditSigningKey,
  signCheckpoint,
  verifyCheckpoint,
  type AuditCheckpoint,
} from '../../src/audit/checkpoint.ts';
import { exportAuditEvents } from '../../src/audit/export.ts';
import type { FhirAuditEvent } from '../../src/audit/fhir-audit-event.ts';
import type { AuditEventInput } from '../../src/audit/vocabulary.ts';
import { toSamordningsnummer } from '../../src/core/personnummer.ts';
import { loadPublicKey } from '../../src/snapshot/keys.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { fhirProblems } from '../helpers/fhir-validator.ts';
import { auditFixture, T0 } from './fixture.ts';

const STATION = 'Solgårdens reservstation';
const nurse = { user: 'anna.nurse', role: 'nurse', unit: 'unit-solgarden', session: 's-1' };
const pat1 = { patient: 'pat-1', patientIdent: '191212121212' };

/** One event of every action, in this order (seq 1…). */
const EVENTS: AuditEventInput[] = [
  { ...nurse, action: 'sign-in', outcome: 'success' },
  { user: 'anna.nurse', action: 'sign-in-failed', outcome: 'failure', reason: 'wrong password' },
  {
    ...nurse,
    action: 'search',
    outcome: 'success',
    resources: ['Patient/pat-1', 'Patient/pat-2', 'Patient/pat-3'],
  },
  {
    ...nurse,
    ...pat1,
    action: 'view',
    outcome: 'success',
    resources: ['Patient/pat-1', 'MedicationRequest/mr-1'],
    snapshotId: 'snap-0007',
  },
  { ...nurse, ...pat1, action: 'print', outcome: 'success', snapshotId: 'snap-0007' },
  { ...nurse, ...pat1, action: 'export', outcome: 'success', snapshotId: 'snap-0007' },
  { ...nurse, patient: 'pat-9', action: 'denied', outcome: 'denied', reason: 'other unit' },
  {
    user: 'cecilia.oncall',
    role: 'oncall',
    unit: 'unit-solgarden',
    action: 'emergency',
    outcome: 'success',
    reason: 'code issued: power cut',
  },
  { ...nurse, ...pat1, action: 'break-glass', outcome: 'success', reason: 'fall, night shift' },
  {
    ...nurse,
    patient: 'pat-4',
    patientIdent: toSamordningsnummer('191212121212'),
    action: 'view',
    outcome: 'success',
    flags: ['emergency'],
    reason: 'code 1234',
  },
  {
    user: 'david.admin',
    role: 'admin',
    action: 'import',
    outcome: 'success',
    snapshotId: 'snap-0008',
  },
  {
    user: 'david.admin',
    role: 'admin',
    action: 'admin',
    outcome: 'success',
    reason: 'user created',
  },
  { ...nurse, action: 'sign-out', outcome: 'success' },
];

const fx = auditFixture('audit-export');
const log = fx.open();
afterAll(() => log.close());
for (const event of EVENTS) {
  log.append([event]);
  fx.clock.tick(60_000);
}

function exported(since?: string): FhirAuditEvent[] {
  const lines: string[] = [];
  const db = fx.raw();
  try {
    exportAuditEvents(db, { stationName: STATION, writeLine: (l) => lines.push(l), since });
  } finally {
    db.close();
  }
  expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  return lines.map((l) => JSON.parse(l) as FhirAuditEvent);
}

const seqOf = (e: FhirAuditEvent) =>
  Number(e.entity?.find((x) => x.type?.code === '4')?.what?.identifier?.value);
const bySeq = (events: FhirAuditEvent[], seq: number) => events.filter((e) => seqOf(e) === seq);
const codes = (e: FhirAuditEvent) => ({
  type: `${e.type.system}|${e.type.code}`,
  subtype: (e.subtype ?? []).map((s) => `${s.system}|${s.code}`),
  action: e.action,
  outcome: e.outcome,
});

describe('exporting the log as FHIR R4 AuditEvent NDJSON', () => {
  const events = exported();

  it('writes only valid R4 AuditEvents', () => {
    expect(events.length).toBe(EVENTS.length + 2); // the search names three patients
    for (const event of events) expect(fhirProblems(event), event.id).toEqual([]);
    // The validator does not check required bindings; these are R4's two required value sets
    // (audit-event-action, audit-event-outcome).
    for (const event of events) {
      expect(['C', 'R', 'U', 'D', 'E']).toContain(event.action);
      expect(['0', '4', '8', '12']).toContain(event.outcome);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('uses the BALP codes of each action', () => {
    const rest = 'http://terminology.hl7.org/CodeSystem/audit-event-type|rest';
    const dcm = (code: string) => `http://dicom.nema.org/resources/ontology/DCM|${code}`;
    const fhir = (code: string) => `http://hl7.org/fhir/restful-interaction|${code}`;
    const disclose = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle|disclose';
    const one = (seq: number) => codes(bySeq(events, seq)[0]!);
    expect(one(1)).toEqual({
      type: dcm('110114'),
      subtype: [dcm('110122')],
      action: 'E',
      outcome: '0',
    });
    expect(one(2)).toEqual({
      type: dcm('110114'),
      subtype: [dcm('110122')],
      action: 'E',
      outcome: '4',
    });
    expect(one(3)).toEqual({ type: rest, subtype: [fhir('search')], action: 'E', outcome: '0' });
    expect(one(4)).toEqual({ type: rest, subtype: [fhir('read')], action: 'R', outcome: '0' });
    expect(one(5)).toEqual({
      type: dcm('110106'),
      subtype: [disclose, fhir('read')],
      action: 'R',
      outcome: '0',
    });
    expect(one(6)).toEqual(one(5));
    expect(one(7)).toMatchObject({ type: dcm('110113'), action: 'E', outcome: '8' });
    expect(one(8)).toEqual({
      type: dcm('110113'),
      subtype: [dcm('110127')],
      action: 'E',
      outcome: '0',
    });
    expect(one(9)).toEqual(one(8));
    expect(one(10)).toEqual(one(4));
    expect(one(11)).toMatchObject({ type: dcm('110107'), subtype: [], action: 'C' });
    expect(one(12)).toMatchObject({ type: dcm('110113'), subtype: [dcm('110137')] });
    expect(one(13)).toEqual({
      type: dcm('110114'),
      subtype: [dcm('110123')],
      action: 'E',
      outcome: '0',
    });
  });

  it('writes one event per patient, with the personnummer as the patient identifier', () => {
    const search = bySeq(events, 3);
    expect(search.map((e) => e.entity?.[0]?.what?.reference)).toEqual([
      'Patient/pat-1',
      'Patient/pat-2',
      'Patient/pat-3',
    ]);
    const view = bySeq(events, 4)[0]!;
    expect(view.entity?.[0]).toEqual({
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
        code: '1',
        display: 'Person',
      },
      role: {
        system: 'http://terminology.hl7.org/CodeSystem/object-role',
        code: '1',
        display: 'Patient',
      },
      what: {
        reference: 'Patient/pat-1',
        identifier: {
          system: 'http://electronichealth.se/identifier/personnummer',
          value: '191212121212',
        },
      },
    });
    expect(view.entity?.map((x) => x.what?.reference ?? x.what?.identifier?.value)).toEqual([
      'Patient/pat-1',
      'MedicationRequest/mr-1',
      'snap-0007',
      '4',
    ]);
    const coordinated = bySeq(events, 10)[0]!.entity?.[0]?.what?.identifier;
    expect(coordinated?.system).toBe('http://electronichealth.se/identifier/samordningsnummer');
  });

  it('names the user as requestor, the unit and the station, and records the time', () => {
    const view = bySeq(events, 4)[0]!;
    expect(view.recorded).toBe('2026-11-27T06:03:00.000Z');
    expect(view.agent[0]).toMatchObject({
      who: { identifier: { value: 'anna.nurse' } },
      requestor: true,
      role: [{ text: 'nurse' }],
    });
    expect(
      view.agent.map((a) => a.who.reference ?? a.who.display ?? a.who.identifier?.value),
    ).toEqual(['anna.nurse', 'Organization/unit-solgarden', STATION]);
    expect(view.source.observer.display).toBe(STATION);
  });

  it('marks emergency and break-glass access with BTG and ETREAT and the reason', () => {
    const purpose = (seq: number) =>
      bySeq(events, seq)[0]!.purposeOfEvent?.flatMap((p) => p.coding!.map((c) => c.code));
    for (const seq of [8, 9, 10]) expect(purpose(seq)).toEqual(['BTG', 'ETREAT']);
    for (const seq of [1, 4, 5, 7]) expect(purpose(seq)).toBeUndefined();
    expect(bySeq(events, 9)[0]!.purposeOfEvent?.[0]?.text).toBe('fall, night shift');
  });

  it('keeps the chain seq and hash so a reviewer can match an event to the log', () => {
    const entries = log.query({ limit: 100 });
    for (const event of events) {
      const chain = event.entity!.at(-1)!;
      const seq = Number(chain.what?.identifier?.value);
      const hash = chain.detail?.find((d) => d.type === 'hash')?.valueString;
      expect(hash).toBe(entries.find((e) => e.seq === seq)!.hash);
    }
  });

  it('exports only entries at or after `since`', () => {
    const since = new Date(Date.parse(T0) + 10 * 60_000).toISOString();
    const later = exported(since);
    expect([...new Set(later.map(seqOf))]).toEqual([11, 12, 13]);
    expect(exported('2099-01-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('signed checkpoints', () => {
  const paths = stationPaths(fx.dir);
  const key = ensureAuditSigningKey(paths);
  const head = log.head();
  const checkpoint = signCheckpoint(
    { seq: head.seq, hash: head.hash, at: '2026-11-27T07:00:00.000Z', stationName: STATION },
    key.privateKey,
  );

  it('creates the audit key once, owner-only, with its public half', () => {
    expect(statSync(paths.auditKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.keysDir).mode & 0o777).toBe(0o700);
    expect(ensureAuditSigningKey(paths).keyId).toBe(key.keyId);
    expect(checkpoint.keyId).toBe(key.keyId);
  });

  it('verifies with the station audit.pub', () => {
    expect(checkpoint).toMatchObject({ seq: 13, hash: head.hash, station: STATION });
    expect(verifyCheckpoint(checkpoint, loadPublicKey(paths.auditPub, 'ed25519'))).toBe(true);
  });

  it('fails when any field changes, or with another key', () => {
    const changed: Record<keyof AuditCheckpoint, unknown> = {
      seq: 12,
      hash: head.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      at: '2026-11-27T07:00:00.001Z',
      station: 'Another station',
      keyId: '0000000000000000',
      signature: Buffer.alloc(64).toString('base64'),
    };
    for (const [field, value] of Object.entries(changed))
      expect(verifyCheckpoint({ ...checkpoint, [field]: value }, key.publicKey), field).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, seq: '13' }, key.publicKey)).toBe(false);
    expect(verifyCheckpoint(null, key.publicKey)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyCheckpoint(checkpoint, other)).toBe(false);
  });

  it('lets verification start from the checkpoint', () => {
    const from = { seq: 10, hash: log.query({ limit: 100 }).find((e) => e.seq === 10)!.hash };
    expect(log.verify({ from })).toMatchObject({ ok: true, entries: 3, head });
    expect(log.verify({ from: { seq: checkpoint.seq, hash: checkpoint.hash } })).toMatchObject({
      ok: true,
      entries: 0,
    });
  });
});
