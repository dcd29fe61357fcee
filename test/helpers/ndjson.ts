/** Reading a generated export back in tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Res = Record<string, unknown> & { resourceType: string; id: string };

export function readType(dir: string, type: string): { lines: string[]; resources: Res[] } {
  const lines = readFileSync(path.join(dir, `${type}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  return { lines, resources: lines.map((l) => JSON.parse(l) as Res) };
}
