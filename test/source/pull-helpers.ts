/** Shared set-up for the source tests: generated data, a clock that moves when we "sleep". */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import type { PullDeps } from '../../src/source/source.ts';

/** A clock that only moves when the code under test waits; every wait is recorded. */
export function testDeps(start = '2026-11-27T05:00:00Z'): PullDeps & {
  sleeps: number[];
  clock: Clock & { advance(ms: number): void };
} {
  let now = Date.parse(start);
  const sleeps: number[] = [];
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
  return {
    clock,
    log: silentLogger,
    sleeps,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

export function makeData(dir: string, people = 12): string {
  generate({ people, seed: 'source-tests', outDir: dir });
  return dir;
}

/** Every resource line of a Bulk folder by type, sorted, for comparing contents. */
export function linesByType(dir: string): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    output: { type: string; url: string }[];
  };
  const out: Record<string, string[]> = {};
  for (const o of manifest.output)
    out[o.type] = [
      ...(out[o.type] ?? []),
      ...readFileSync(path.join(dir, o.url), 'utf8').split('\n').filter(Boolean),
    ].sort();
  return out;
}

export function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}
