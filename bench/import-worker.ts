/**
 * One measured run for bench/import.ts, in its own process so that peak RSS is its own.
 *   import <dataDir> <snapshot>  the real station import (verify, decrypt, parse, index, encrypted store)
 *   floor <exportDir> <dbFile>   the floor: read + parse + plain insert of the same NDJSON into SQLite
 * Prints one JSON line: { mode, resources, seconds, maxRssMb }.
 */
import { createReadStream, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { systemClock } from '../src/core/clock.ts';
import { LineSplitter } from '../src/core/lines.ts';
import { silentLogger } from '../src/core/log.ts';
import { importSnapshot } from '../src/snapshot/import.ts';

const [mode, a, b] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let resources = 0;

if (mode === 'import') {
  resources = (await importSnapshot(a, b, { clock: systemClock, log: silentLogger })).resources;
} else {
  rmSync(b, { force: true });
  const db = new Database(b);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec('CREATE TABLE resource (type TEXT NOT NULL, id TEXT NOT NULL, raw TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO resource (type, id, raw) VALUES (?, ?, ?)');
  let batch: [string, string, string][] = [];
  const flush = db.transaction((rows: [string, string, string][]) => {
    for (const r of rows) insert.run(...r);
  });
  for (const file of readdirSync(a).filter((f) => f.endsWith('.ndjson'))) {
    const splitter = new LineSplitter(64 * 1024 * 1024, (line) => {
      const json = JSON.parse(line) as { resourceType: string; id: string };
      batch.push([json.resourceType, json.id, line]);
      resources++;
      if (batch.length >= 2000) {
        flush(batch);
        batch = [];
      }
    });
    for await (const chunk of createReadStream(path.join(a, file))) splitter.push(chunk as Buffer);
    splitter.end();
  }
  flush(batch);
  db.close();
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  JSON.stringify({ mode, resources, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }) +
    '\n',
);
