import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, ReservError, toReservError } from '../src/core/errors.ts';

function documentedRows(): Map<string, string[]> {
  const text = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\| `([A-Z_]+)` \|(.*)\|$/.exec(line);
    if (!m) continue;
    const cells = m[2]!.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    rows.set(m[1]!, cells);
  }
  return rows;
}

describe('docs/errors.md', () => {
  it('lists every error code with its exit code, HTTP status, message and hint, and nothing else', () => {
    const rows = documentedRows();
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERRORS).sort());
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(rows.get(code), code).toEqual([
        String(spec.exitCode),
        String(spec.httpStatus),
        spec.message,
        spec.hint,
      ]);
    }
  });
});

describe('ReservError', () => {
  it('gives every code a hint, a non-zero exit code and an HTTP error status', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(spec.hint.length, code).toBeGreaterThan(10);
      expect(spec.exitCode, code).toBeGreaterThan(0);
      expect(spec.httpStatus, code).toBeGreaterThanOrEqual(400);
    }
  });

  it('turns unknown failures into INTERNAL and a busy port into PORT_IN_USE', () => {
    expect(toReservError(new Error('boom')).code).toBe('INTERNAL');
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY']) {
      const denied = Object.assign(new Error('denied'), { code, path: '/srv/station/x' });
      const mapped = toReservError(denied);
      expect(mapped.code, code).toBe('DATA_DIR_UNUSABLE');
      if (code !== 'SQLITE_READONLY') expect(mapped.details).toEqual(['path: /srv/station/x']);
    }
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(toReservError(busy).code).toBe('PORT_IN_USE');
    const known = new ReservError('NOT_FOUND');
    expect(toReservError(known)).toBe(known);
  });
});
