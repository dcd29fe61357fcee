/**
 * Benchmark of `reservjournal generate`: people per second and peak memory for each size, with
 * the output floor (the same lines and bytes written by the same writer) measured in the same
 * run as the baseline. Usage: node --import tsx bench/generate.ts [N ...]   (default 10000 100000)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Run {
  mode: string;
  people: number;
  resources: number;
  bytes: number;
  seconds: number;
  maxRssMb: number;
}

const worker = fileURLToPath(new URL('./generate-worker.ts', import.meta.url));

function run(args: string[]): Run {
  const out = execFileSync(process.execPath, ['--import', 'tsx', worker, ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim()) as Run;
}

const sizes = process.argv.slice(2).map(Number);
const rows: string[] = [];
for (const people of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  const gen = run(['generate', String(people)]);
  const floor = run(['floor', String(people), String(gen.resources), String(gen.bytes)]);
  rows.push(
    `| ${people.toLocaleString('en')} | ${gen.resources.toLocaleString('en')} | ${(gen.bytes / 1e6).toFixed(0)} MB | ` +
      `${gen.seconds.toFixed(1)} s | ${Math.round(people / gen.seconds).toLocaleString('en')} | ` +
      `${Math.round(gen.resources / gen.seconds).toLocaleString('en')} | ${gen.maxRssMb.toFixed(0)} MB | ` +
      `${floor.seconds.toFixed(1)} s | ${floor.maxRssMb.toFixed(0)} MB | ${(gen.seconds / floor.seconds).toFixed(1)}× |`,
  );
  process.stderr.write(`done ${people}\n`);
}
// eslint-disable-next-line no-console -- a benchmark prints its table
console.log(
  [
    '| people | resources | output | time | people/s | resources/s | peak RSS | floor time | floor peak RSS | time ÷ floor |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
