/**
 * Writes resources to one NDJSON file per resource type, the layout of a FHIR Bulk Data export.
 *
 * Memory stays flat whatever the number of people: each type has a small text buffer that is
 * flushed to its file with a synchronous write once it passes FLUSH_AT bytes. Synchronous writes
 * keep the byte order, and so the output, a pure function of the input.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

const FLUSH_AT = 256 * 1024;
const DECIMAL_MARK = '"@@decimal:';
const DECIMAL_PLACEHOLDER = /"@@decimal:(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)@@"/g;

interface TypeFile {
  fd: number;
  buffer: string;
  count: number;
  bytes: number;
}

export interface WrittenFile {
  readonly type: string;
  readonly file: string;
  readonly count: number;
  readonly bytes: number;
}

export class NdjsonWriter {
  private readonly files = new Map<string, TypeFile>();

  constructor(private readonly dir: string) {}

  write(resource: { resourceType: string }): void {
    let line = JSON.stringify(resource);
    // Decimals whose digits matter (0.010 is not 0.01 in FHIR) are carried as placeholders.
    if (line.includes(DECIMAL_MARK)) line = line.replace(DECIMAL_PLACEHOLDER, '$1');
    this.writeLine(resource.resourceType, line);
  }

  writeLine(type: string, line: string): void {
    let f = this.files.get(type);
    if (f === undefined) {
      f = {
        fd: openSync(path.join(this.dir, `${type}.ndjson`), 'w'),
        buffer: '',
        count: 0,
        bytes: 0,
      };
      this.files.set(type, f);
    }
    f.buffer += line + '\n';
    f.count++;
    if (f.buffer.length >= FLUSH_AT) this.flush(f);
  }

  private flush(f: TypeFile): void {
    if (f.buffer.length === 0) return;
    const data = Buffer.from(f.buffer, 'utf8');
    writeSync(f.fd, data);
    f.bytes += data.length;
    f.buffer = '';
  }

  /** Flush and close every file; returns them sorted by type name. */
  close(): WrittenFile[] {
    const out: WrittenFile[] = [];
    for (const [type, f] of this.files) {
      this.flush(f);
      closeSync(f.fd);
      out.push({ type, file: `${type}.ndjson`, count: f.count, bytes: f.bytes });
    }
    this.files.clear();
    return out.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }
}
