import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from './chain.ts';
import type { AuditRow } from './entry.ts';

const row: Omit<AuditRow, 'hash'> = {
  seq: 1,
  at: '2026-11-27T06:00:00.000Z',
  user: 'anna.nurse',
  role: 'nurse',
  unit: 'unit-solgarden',
  patient: 'pat-1',
  patient_ident: '191212121212',
  action: 'view',
  resources: '["Patient/pat-1"]',
  snapshot_id: 'snap-0007',
  outcome: 'success',
  reason: null,
  flags: null,
  session: 's-1',
  prev_hash: GENESIS_HASH,
};

describe('the chain hash', () => {
  it('is sha256(prev_hash + "\\n" + canonical JSON of the stored row), byte for byte', () => {
    // Written out by hand: keys sorted, NULL as null, JSON arrays as their stored text. Logs are
    // kept for years, so this formula can never change without breaking old logs.
    const canonical =
      '{"action":"view","at":"2026-11-27T06:00:00.000Z","flags":null,' +
      '"outcome":"success","patient":"pat-1","patient_ident":"191212121212",' +
      `"prev_hash":"${GENESIS_HASH}","reason":null,"resources":"[\\"Patient/pat-1\\"]",` +
      '"role":"nurse","seq":1,"session":"s-1","snapshot_id":"snap-0007","unit":"unit-solgarden",' +
      '"user":"anna.nurse"}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${canonical}`).digest('hex');
    expect(entryHash(row)).toBe(expected);
  });

  it('ignores the stored hash and changes with every other field', () => {
    const base = entryHash(row);
    expect(entryHash({ ...row, hash: 'anything' })).toBe(base);
    for (const key of Object.keys(row) as (keyof typeof row)[]) {
      const changed = {
        ...row,
        [key]: key === 'seq' ? 2 : row[key] === null ? '' : `${row[key]}!`,
      };
      expect(entryHash(changed), key).not.toBe(base);
    }
  });

  it('tells NULL from an empty string and a number from its text', () => {
    expect(entryHash({ ...row, reason: '' })).not.toBe(entryHash(row));
    expect(entryHash({ ...row, seq: '1' as unknown as number })).not.toBe(entryHash(row));
  });
});
