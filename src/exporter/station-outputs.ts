/**
 * The per-station folders the partitioner writes: one Bulk-Data-shaped folder per station
 * (manifest.json plus `<Type>.ndjson`), the same shape `snapshot build` reads. Lines are appended
 * exactly as they were read (FHIR decimals keep their digits), buffered per station and type up
 * to a fixed size, so memory is bounded by stations × buffer, never by a file.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FLUSH_CHARS = 128 * 1024;

interface Buffered {
  parts: string[];
  chars: number;
}

export interface StationShare {
  readonly name: string;
  readonly dir: string;
  readonly resources: number;
  readonly counts: Readonly<Record<string, number>>;
}

export class StationOutputs {
  private readonly buffers: Map<string, Buffered>[];
  private readonly counts: Map<string, number>[];
  readonly dirs: readonly string[];

  constructor(root: string, names: readonly string[]) {
    this.dirs = names.map((n) => path.join(root, n));
    for (const dir of this.dirs) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    this.buffers = names.map(() => new Map<string, Buffered>());
    this.counts = names.map(() => new Map<string, number>());
  }

  write(station: number, type: string, line: string): void {
    const byType = this.buffers[station]!;
    let buf = byType.get(type);
    if (!buf) byType.set(type, (buf = { parts: [], chars: 0 }));
    buf.parts.push(line, '\n');
    buf.chars += line.length + 1;
    const counts = this.counts[station]!;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (buf.chars >= FLUSH_CHARS) this.flushOne(station, type, buf);
  }

  /** Write out everything buffered (at the end of each input file). */
  flush(): void {
    for (const [station, byType] of this.buffers.entries())
      for (const [type, buf] of byType) this.flushOne(station, type, buf);
  }

  private flushOne(station: number, type: string, buf: Buffered): void {
    if (buf.parts.length === 0) return;
    appendFileSync(path.join(this.dirs[station]!, `${type}.ndjson`), buf.parts.join(''));
    buf.parts = [];
    buf.chars = 0;
  }

  /** Flush and write each station's manifest.json; types with no lines get no file. */
  finish(names: readonly string[], transactionTime: string): StationShare[] {
    this.flush();
    return names.map((name, s) => {
      const counts = Object.fromEntries([...this.counts[s]!].sort(([a], [b]) => (a < b ? -1 : 1)));
      const manifest = {
        transactionTime,
        requiresAccessToken: false,
        output: Object.entries(counts).map(([type, count]) => ({
          type,
          url: `${type}.ndjson`,
          count,
        })),
        error: [],
      };
      writeFileSync(path.join(this.dirs[s]!, 'manifest.json'), JSON.stringify(manifest, null, 2));
      return {
        name,
        dir: this.dirs[s]!,
        resources: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
      };
    });
  }
}
