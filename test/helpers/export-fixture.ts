/** Small hand-written Bulk Data exports for store tests: inline objects, written to a temp folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeExport(
  dir: string,
  files: Record<string, string[]>,
  transactionTime = '2026-11-27T05:00:00.000Z',
): string {
  mkdirSync(dir, { recursive: true });
  const output = Object.entries(files).map(([type, lines]) => {
    writeFileSync(path.join(dir, `${type}.ndjson`), lines.map((l) => l + '\n').join(''));
    return { type, url: `${type}.ndjson`, count: lines.length };
  });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      transactionTime,
      request: 'x/$export',
      requiresAccessToken: false,
      output,
      error: [],
    }),
  );
  return dir;
}
