/**
 * Benchmark of the unit pack (issue 6): one PDF for 40 residents of one unit with 72-hour
 * signing sheets, rendered from their view models by src/print, against the floor measured in
 * the same run: a bare table PDF of the same page count written with pdfkit directly, in the
 * same embedded font (rules, boxes and wrapped cell text, no frame, no measuring ahead). Each
 * side runs in a child process of its own, so its peak RSS is its own; each renders once cold
 * (fonts loaded, code not yet optimised: what the first click after a start costs) and then
 * `runs` more times warm (the median is reported).
 *
 * This is the one file besides src/print/pdf.ts that imports pdfkit: the baseline must not go
 * through the code it is the baseline for.
 *
 * Usage: node --import tsx bench/print.ts [people] [residents] [runs]   (default 120 40 5)
 * The generated station must have a unit with at least `residents` people; at the default 120
 * people the largest home-care group has 45.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { silentLogger } from '../src/core/log.ts';
import { DEFAULT_AS_OF, generate } from '../src/generate/generate.ts';
import { sv } from '../src/i18n/messages.ts';
import { renderUnitPack } from '../src/print/unit-pack.ts';
import { openReadOnly } from '../src/store/db.ts';
import { loadBulkExport } from '../src/store/load-bulk.ts';
import { listUnits, snapshotInfo } from '../src/store/queries.ts';
import { buildResidentView } from '../src/views/resident.ts';
import { buildUnitView } from '../src/views/unit.ts';

const TIME_ZONE = 'Europe/Stockholm';
/** The clock of the print: fixed, so every run prints the same bytes. */
const NOW = new Date(Date.parse(DEFAULT_AS_OF) + 3 * 3_600_000);

interface Result {
  readonly mode: 'pack' | 'baseline';
  readonly pages: number;
  readonly bytes: number;
  readonly coldMs: number;
  readonly warmMs: number[];
  readonly viewsMs?: number;
  /** RSS once the views are built, before the first render. */
  readonly rssBeforeMb: number;
  readonly maxRssMb: number;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;
}

function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  return work().then((out) => [out, performance.now() - start]);
}

async function packWorker(dbFile: string, residents: number, runs: number): Promise<Result> {
  const db = openReadOnly(dbFile);
  const largest = [...listUnits(db)].sort((a, b) => b.residents - a.residents)[0]!;
  if (largest.residents < residents)
    throw new Error(`the largest unit has ${largest.residents} people: generate more people`);
  const [{ unit, views }, viewsMs] = await timed(() => {
    const unit = buildUnitView(db, largest.id, { now: NOW, timeZone: TIME_ZONE })!;
    const views = unit.residents
      .slice(0, residents)
      .map((p) => buildResidentView(db, p.id, { now: NOW, timeZone: TIME_ZONE })!);
    return Promise.resolve({ unit, views });
  });
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const meta = {
    m: sv,
    timeZone: TIME_ZONE,
    transactionTime: snapshotInfo(db).transactionTime,
    printedBy: 'bench',
    printedAt: NOW,
    auditRef: '0123456789ab',
  };
  const render = () => renderUnitPack(meta, unit, views, { hours: 72, from: NOW });
  const [pdf, coldMs] = await timed(render);
  const warmMs: number[] = [];
  for (let i = 0; i < runs; i++) warmMs.push((await timed(render))[1]);
  db.close();
  return {
    mode: 'pack',
    pages: pageCount(pdf),
    bytes: pdf.length,
    coldMs,
    warmMs,
    viewsMs,
    rssBeforeMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** A bare table PDF: `pages` A4 pages of a 5-column bordered table, wrapped cell text. */
function bareTable(pages: number): Promise<Buffer> {
  const font = createRequire(import.meta.url).resolve(
    'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  );
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, font, compress: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const widths = [60, 170, 100, 95, 90];
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font(font).fontSize(8.5);
    for (let r = 0; r < 34; r++) {
      let x = 40;
      const y = 40 + r * 22;
      widths.forEach((w, c) => {
        doc.lineWidth(0.5).rect(x, y, w, 22).stroke();
        doc.text(`Sida ${p + 1} rad ${r + 1} kolumn ${c + 1} åäö`, x + 3, y + 3, { width: w - 6 });
        x += w;
      });
    }
  }
  doc.end();
  return done;
}

async function baselineWorker(pages: number, runs: number): Promise<Result> {
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const [pdf, coldMs] = await timed(() => bareTable(pages));
  const warmMs: number[] = [];
  for (let i = 0; i < runs; i++) warmMs.push((await timed(() => bareTable(pages)))[1]);
  return {
    mode: 'baseline',
    pages: pageCount(pdf),
    bytes: pdf.length,
    coldMs,
    warmMs,
    rssBeforeMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const self = fileURLToPath(import.meta.url);
function child(...args: string[]): Result {
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', self, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim(),
  ) as Result;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--pack') {
  process.stdout.write(
    `${JSON.stringify(await packWorker(rest[0]!, Number(rest[1]), Number(rest[2])))}\n`,
  );
} else if (first === '--baseline') {
  process.stdout.write(
    `${JSON.stringify(await baselineWorker(Number(rest[0]), Number(rest[1])))}\n`,
  );
} else {
  const people = Number(first ?? 120);
  const residents = Number(rest[0] ?? 40);
  const runs = Number(rest[1] ?? 5);
  const work = mkdtempSync(path.join(tmpdir(), 'rj-bench-print-'));
  try {
    log(`generating and loading ${people} people …`);
    const exportDir = path.join(work, 'export');
    generate({ people, seed: 'bench-print', outDir: exportDir });
    const dbFile = path.join(work, 'station.sqlite');
    await loadBulkExport({
      sourceDir: exportDir,
      dbFile,
      now: new Date(DEFAULT_AS_OF),
      log: silentLogger,
    });
    log(`unit pack for ${residents} residents, 72-hour signing sheets, ${runs} warm runs …`);
    const pack = child('--pack', dbFile, String(residents), String(runs));
    log(`bare table PDF of ${pack.pages} pages …`);
    const base = child('--baseline', String(pack.pages), String(runs));
    const rate = (r: Result, ms: number) => (r.pages / ms) * 1000;
    const row = (name: string, r: Result) =>
      `| ${name} | ${r.pages} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.coldMs.toFixed(0)} ms (${rate(r, r.coldMs).toFixed(0)} p/s) | ${r.warmMs.length === 0 ? '–' : `${median(r.warmMs).toFixed(0)} ms (${rate(r, median(r.warmMs)).toFixed(0)} p/s)`} | ${r.maxRssMb.toFixed(0)} MB (${r.rssBeforeMb.toFixed(0)} MB before) |`;
    process.stdout.write(
      [
        `Unit pack: ${residents} residents, 72 h signing sheets (${people} people generated; views built in ${pack.viewsMs!.toFixed(0)} ms, not included below)`,
        '',
        '| | pages | size | first run (cold) | median of warm runs | peak RSS (before rendering) |',
        '|---|---|---|---|---|---|',
        row('unit pack (src/print)', pack),
        row('bare table, pdfkit directly', base),
        '',
        `ratio pack / baseline pages per second: cold ${(rate(pack, pack.coldMs) / rate(base, base.coldMs)).toFixed(2)}, warm ${(rate(pack, median(pack.warmMs)) / rate(base, median(base.warmMs))).toFixed(2)}`,
        `warm runs, pack: ${pack.warmMs.map((x) => x.toFixed(0)).join(', ')} ms; baseline: ${base.warmMs.map((x) => x.toFixed(0)).join(', ')} ms`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
