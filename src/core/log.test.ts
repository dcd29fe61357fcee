import { describe, expect, it } from 'vitest';
import { createLogger, op, stackFrames } from './log.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    sink: (l) => lines.push(l),
    now: () => new Date('2026-11-27T05:00:00Z'),
  });
  return { lines, log };
}

describe('logger', () => {
  it('redacts plain strings and keeps numbers, booleans and operational text', () => {
    const { lines, log } = capture();
    log.info('load.done', { resources: 12, ok: true, name: 'Åsa Lövgren', file: op('x.sqlite') });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-27T05:00:00.000Z',
      level: 'info',
      event: 'load.done',
      resources: 12,
      ok: true,
      name: '[redacted]',
      file: 'x.sqlite',
    });
  });

  it('masks identity-number shapes even inside operational text', () => {
    const { lines, log } = capture();
    log.info('x', { detail: op('patient 19490606-2213 and 4906062213 and 240928+9226') });
    expect(lines[0]).not.toMatch(/\d{6}[-+]?\d{4}/);
  });

  it('drops lines below its level', () => {
    const { lines, log } = capture();
    log.debug('hidden');
    expect(lines).toEqual([]);
  });

  it('logs stack frames without the message, which may quote input', () => {
    let error: unknown;
    try {
      JSON.parse('{"name":"Åsa Lövgren",');
    } catch (e) {
      error = e;
    }
    const text = stackFrames(error).text;
    expect(text).toContain('SyntaxError');
    expect(text).not.toContain('Åsa');
  });
});
