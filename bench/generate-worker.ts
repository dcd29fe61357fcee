/**
 * One measured run for bench/generate.ts, in its own process so that peak RSS belongs to it.
 *   mode "generate": the real generator.
 *   mode "floor": the same NdjsonWriter writing the same number of lines and bytes of one fixed,
 *   pre-serialised line: the cost of the output alone, the baseline the generator is compared to.
 * Prints one JSON line.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '../src/generate/generate.ts';
import { NdjsonWriter } from '../src/generate/ndjson-writer.ts';

const [mode, peopleArg, linesArg, bytesArg] = process.argv.slice(2);
const people = Number(peopleArg);
const out = mkdtempSync(path.join(tmpdir(), `rj-bench-${mode}-`));

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
}

const started = performance.now();
let resources = 0;
if (mode === 'generate') {
  resources = generate({ people, seed: 'bench', outDir: out, force: true }).resources;
} else {
  const lines = Number(linesArg);
  const bytes = Number(bytesArg);
  const lineLength = Math.max(2, Math.round(bytes / lines) - 1);
  const line = JSON.stringify({
    resourceType: 'Basic',
    id: 'x',
    text: 'x'.repeat(lineLength - 40),
  }).padEnd(lineLength, ' ');
  const writer = new NdjsonWriter(out);
  const types = 22;
  for (let i = 0; i < lines; i++) writer.writeLine(`T${i % types}`, line);
  writer.close();
  resources = lines;
}
const seconds = (performance.now() - started) / 1000;
const bytes = folderBytes(out);
rmSync(out, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    mode,
    people,
    resources,
    bytes,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
