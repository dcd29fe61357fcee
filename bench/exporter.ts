/**
 * Benchmark of the exporter (`exporter run --once` on an NDJSON folder source).
 *
 * (a) Memory: peak RSS of one whole cycle (pull of the folder, split into ten stations covering
 *     every unit, build + sign + encrypt + publish each) for people/10 and people; beside it
 *     the split alone and one build of the whole export alone (each in a fresh process, so the
 *     pull's memory does not count for them), and Node.js with the TypeScript loader doing
 *     nothing (the floor).
 * (b) Cost per station: `stations` stations of one unit each on the people/10 export; per station
 *     the time from the previous publication to its own (sequence, build, publish) against its
 *     size, and the whole cycle against the baseline measured in the same run: one build of the
 *     whole municipality. Cost ∝ stations × the municipality would make the cycle about
 *     `stations` × the baseline; cost ∝ their shares makes it about (split) + (their share of
 *     the data) × the baseline.
 *
 * Every measured run is a child process of its own, so peak RSS belongs to it alone.
 * Usage: node --import tsx bench/exporter.ts [people] [stations]   (default 100000 200)
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/core/clock.ts';
import { createLogger } from '../src/core/log.ts';
import { loadExporterConfig } from '../src/exporter/config.ts';
import { partitionExport } from '../src/exporter/partition.ts';
import { runExporterCycle } from '../src/exporter/run.ts';
import { generate } from '../src/generate/generate.ts';
import { buildSnapshot } from '../src/snapshot/build.ts';
import {
  generateKeyPair,
  loadPrivateKey,
  writePrivateKey,
  writePublicKey,
} from '../src/snapshot/keys.ts';

interface Measured {
  seconds: number;
  maxRssMb: number;
}
interface CycleRun extends Measured {
  outcome: string;
  resources: number;
  phases: Record<string, number>;
  phasePeak: Record<string, number>;
  stations: { station: string; people: number; resources: number; bytes: number; s: number }[];
}
interface BuildRun extends Measured {
  resources: number;
  bytes: number;
}

const self = fileURLToPath(import.meta.url);
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
// eslint-disable-next-line no-console -- a benchmark prints its results
const print = (text: string) => console.log(text);

/** The measured runs, each in this same file started as a child process. */
async function worker(mode: string, args: string[]): Promise<unknown> {
  const started = performance.now();
  if (mode === 'idle') return { seconds: 0, maxRssMb: peakRssMb() };
  if (mode === 'build') {
    const [sourceDir, keyFile, out] = args as [string, string, string];
    const signKey = loadPrivateKey(keyFile, 'ed25519');
    const station = createPublicKey(generateKeyPair('x25519').publicPem);
    const { manifest, bytes } = await buildSnapshot({
      sourceDir,
      sequence: 1,
      signKey,
      signPublicKey: createPublicKey(signKey),
      recipients: [station],
      outFile: out,
      clock: systemClock,
    });
    return {
      seconds: (performance.now() - started) / 1000,
      maxRssMb: peakRssMb(),
      resources: manifest.totals.resources,
      bytes,
    } satisfies BuildRun;
  }
  if (mode === 'split') {
    // The split alone, straight from the export folder (no pull before it in this process).
    const [exportDir, configFile, out] = args as [string, string, string];
    const config = loadExporterConfig(configFile, systemClock.now());
    const { shares } = await partitionExport(exportDir, config.stations, out, {
      log: createLogger({ level: 'silent' }),
    });
    rmSync(out, { recursive: true, force: true });
    return {
      seconds: (performance.now() - started) / 1000,
      maxRssMb: peakRssMb(),
      resources: shares.reduce((n, x) => n + x.resources, 0),
      bytes: 0,
    } satisfies BuildRun;
  }
  // mode "cycle": one real exporter cycle; phase times from its own log events.
  const events: { t: number; e: Record<string, unknown> }[] = [];
  const log = createLogger({
    level: 'info',
    sink: (line) =>
      events.push({ t: performance.now(), e: JSON.parse(line) as Record<string, unknown> }),
  });
  // Peak RSS per phase: sampled every 20 ms, counted to the phase the log says is running.
  const phasePeak: Record<string, number> = { pull: 0, split: 0, stations: 0 };
  const phaseNow = () =>
    events.some((x) => x.e.event === 'exporter.partitioned')
      ? 'stations'
      : events.some((x) => x.e.event === 'exporter.pulled')
        ? 'split'
        : 'pull';
  const sampler = setInterval(() => {
    const phase = phaseNow();
    phasePeak[phase] = Math.max(phasePeak[phase]!, process.memoryUsage().rss / 2 ** 20);
  }, 20);
  const config = loadExporterConfig(args[0]!, systemClock.now());
  const result = await runExporterCycle(config, { clock: systemClock, log });
  clearInterval(sampler);
  const at = (name: string) => events.find((x) => x.e.event === name)?.t ?? started;
  const stations: CycleRun['stations'] = [];
  let previous = at('exporter.partitioned');
  for (const { t, e } of events.filter((x) => x.e.event === 'exporter.published')) {
    stations.push({
      station: String(e.station),
      people: Number(e.people),
      resources: Number(e.resources),
      bytes: Number(e.bytes),
      s: (t - previous) / 1000,
    });
    previous = t;
  }
  return {
    outcome: result.outcome,
    seconds: (performance.now() - started) / 1000,
    maxRssMb: peakRssMb(),
    resources: stations.reduce((n, s) => n + s.resources, 0),
    phasePeak,
    phases: {
      pull: (at('exporter.pulled') - started) / 1000,
      split: (at('exporter.partitioned') - at('exporter.pulled')) / 1000,
      stations: (previous - at('exporter.partitioned')) / 1000,
    },
    stations,
  } satisfies CycleRun;
}

function child<T>(mode: string, ...args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--worker', mode, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.trim()) as T;
}

interface Org {
  id: string;
  parent?: string;
  kind?: string;
}

function organizations(exportDir: string): Org[] {
  return readFileSync(path.join(exportDir, 'Organization.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const o = JSON.parse(l) as {
        id: string;
        partOf?: { reference: string };
        type?: { coding?: { code?: string }[] }[];
      };
      return {
        id: o.id,
        parent: o.partOf?.reference.slice(13),
        kind: o.type?.[0]?.coding?.[0]?.code,
      };
    });
}

/** An exporter set-up: keys, `stations` (name → units), a config file. */
function setUp(dir: string, exportDir: string, stations: [string, string[]][]): string {
  mkdirSync(path.join(dir, 'keys'), { recursive: true });
  const exporter = generateKeyPair('ed25519');
  writePrivateKey(path.join(dir, 'keys', 'exporter.key'), exporter.privatePem);
  const config = {
    name: 'bench',
    source: { kind: 'ndjson-folder', dir: exportDir },
    signKey: 'keys/exporter.key',
    outbox: 'outbox',
    stateDir: 'state',
    stations: stations.map(([name, units]) => {
      writePublicKey(path.join(dir, 'keys', `${name}.pub`), generateKeyPair('x25519').publicPem);
      return { name, publicKey: `keys/${name}.pub`, units };
    }),
  };
  writeFileSync(path.join(dir, 'exporter.json'), JSON.stringify(config, null, 2));
  return path.join(dir, 'exporter.json');
}

const mb = (n: number) => `${n.toFixed(0)} MB`;
const sec = (n: number) => `${n.toFixed(1)} s`;
const int = (n: number) => Math.round(n).toLocaleString('en');

function main(): void {
  const people = Number(process.argv[2] ?? 100_000);
  const stationCount = Number(process.argv[3] ?? 200);
  const sizes = [Math.round(people / 10), people];
  const work = mkdtempSync(path.join(tmpdir(), 'rj-bench-exporter-'));
  try {
    const idle = child<Measured>('idle');
    const memoryRows: string[] = [];
    let small = '';
    for (const size of sizes) {
      const exportDir = path.join(work, `export-${size}`);
      process.stderr.write(`generating ${size} people…\n`);
      generate({ people: size, seed: 'bench', outDir: exportDir });
      if (size === sizes[0]) small = exportDir;
      // Ten stations that together cover every unit: the whole municipality is split and built.
      const tops = organizations(exportDir).filter((o) => o.parent === 'kommun');
      const groups: [string, string[]][] = Array.from({ length: 10 }, (_, i) => [`all-${i}`, []]);
      tops.forEach((o, i) => groups[i % 10]![1].push(o.id));
      const dir = path.join(work, `memory-${size}`);
      const configFile = setUp(
        dir,
        exportDir,
        groups.filter((g) => g[1].length > 0),
      );
      const run = child<CycleRun>('cycle', configFile);
      const split = child<BuildRun>('split', exportDir, configFile, path.join(dir, 'split'));
      const build = child<BuildRun>(
        'build',
        exportDir,
        path.join(dir, 'keys', 'exporter.key'),
        path.join(dir, 'whole.rjsnap'),
      );
      memoryRows.push(
        `| ${int(size)} | ${int(run.resources)} | ${sec(run.phases.pull!)} | ${sec(run.phases.split!)} | ` +
          `${sec(run.phases.stations!)} | ${sec(run.seconds)} | ${mb(run.maxRssMb)} | ` +
          `${mb(run.phasePeak.pull!)} / ${mb(run.phasePeak.split!)} / ${mb(run.phasePeak.stations!)} | ` +
          `${sec(split.seconds)}, ${mb(split.maxRssMb)} | ${sec(build.seconds)}, ${mb(build.maxRssMb)} | ${mb(idle.maxRssMb)} |`,
      );
      rmSync(dir, { recursive: true, force: true });
      if (size !== sizes[0]) rmSync(exportDir, { recursive: true, force: true });
      process.stderr.write(`memory run ${size} done (${run.outcome})\n`);
    }

    // (b) stations of one leaf unit each, spread evenly over the municipality's units.
    const leaves = organizations(small).filter(
      (o) => o.kind === 'ward' || o.kind === 'home-care-group',
    );
    const step = leaves.length / Math.min(stationCount, leaves.length);
    const chosen = Array.from(
      { length: Math.min(stationCount, leaves.length) },
      (_, i) => leaves[Math.floor(i * step)]!,
    );
    const dir = path.join(work, 'stations');
    const configFile = setUp(
      dir,
      small,
      chosen.map((o) => [o.id, [o.id]]),
    );
    const cycle = child<CycleRun>('cycle', configFile);
    const baseline = child<BuildRun>(
      'build',
      small,
      path.join(dir, 'keys', 'exporter.key'),
      path.join(work, 'whole.rjsnap'),
    );
    const perStation = cycle.stations.map((s) => s.s).sort((a, b) => a - b);
    const median = perStation[Math.floor(perStation.length / 2)]!;
    const share = cycle.resources / baseline.resources;
    // Least squares: time per station = fixed + per-resource × resources.
    const n = cycle.stations.length;
    const mx = cycle.stations.reduce((a, s) => a + s.resources, 0) / n;
    const my = cycle.stations.reduce((a, s) => a + s.s, 0) / n;
    const sxy = cycle.stations.reduce((a, s) => a + (s.resources - mx) * (s.s - my), 0);
    const sxx = cycle.stations.reduce((a, s) => a + (s.resources - mx) ** 2, 0);
    const syy = cycle.stations.reduce((a, s) => a + (s.s - my) ** 2, 0);
    const slope = sxy / sxx;
    const r = sxy / Math.sqrt(sxx * syy);
    const bySize = [...cycle.stations].sort((a, b) => a.resources - b.resources);
    const smallest = bySize[0]!;
    const largest = bySize[bySize.length - 1]!;

    print(`(a) Peak memory of one exporter cycle (ten stations covering every unit)\n`);
    print(
      [
        '| people | resources published | pull | split | build + publish | whole cycle | peak RSS | sampled RSS: pull / split / build + publish | split alone: time, peak RSS | one whole build alone: time, peak RSS | floor RSS (Node + tsx, idle) |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...memoryRows,
      ].join('\n'),
    );
    print(`\n(b) ${n} stations of one unit each, ${int(sizes[0]!)} people\n`);
    print(
      [
        '| measure | value |',
        '| --- | ---: |',
        `| people in the stations' units | ${int(cycle.stations.reduce((a, s) => a + s.people, 0))} of ${int(sizes[0]!)} |`,
        `| resources published (sum of shares) | ${int(cycle.resources)} (${(share * 100).toFixed(0)} % of ${int(baseline.resources)}) |`,
        `| whole cycle: pull / split / ${n} builds + publications | ${sec(cycle.seconds)}: ${sec(cycle.phases.pull!)} / ${sec(cycle.phases.split!)} / ${sec(cycle.phases.stations!)} |`,
        `| baseline: one build of the whole municipality | ${sec(baseline.seconds)} (${mb(baseline.maxRssMb)} peak) |`,
        `| ${n} builds + publications ÷ baseline | ${(cycle.phases.stations! / baseline.seconds).toFixed(2)}× (∝ municipality would be ${n}×) |`,
        `| per station: min / median / max | ${perStation[0]!.toFixed(3)} / ${median.toFixed(3)} / ${perStation[n - 1]!.toFixed(3)} s |`,
        `| smallest station | ${int(smallest.resources)} resources, ${smallest.s.toFixed(3)} s |`,
        `| largest station | ${int(largest.resources)} resources, ${largest.s.toFixed(3)} s |`,
        `| fit: time = fixed + k × resources | fixed ${(my - slope * mx).toFixed(3)} s, k ${(slope * 1e6).toFixed(1)} µs/resource, r = ${r.toFixed(2)} |`,
        `| peak RSS of the ${n}-station cycle | ${mb(cycle.maxRssMb)} |`,
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--worker') {
  const result = await worker(process.argv[3]!, process.argv.slice(4));
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  main();
}
