/**
 * Writes the Bulk-Data-shaped folder every source produces: manifest.json plus one `Type.ndjson`
 * per resource type, the layout `snapshot build` reads (src/source/bulk-folder.ts).
 *
 * Invariant: a folder under the final name is always complete. Everything is written into a
 * temporary sibling folder (same parent, so the rename stays on one file system); only after the
 * last file and the manifest are written and flushed to disk is it renamed to the final name.
 * A failed or stopped pull removes the temporary folder and leaves the final name untouched.
 *
 * Every line is checked on the way in: a JSON object of the file's type with a valid FHIR id.
 * Several inputs of one type (a server splitting its output, several Bundles) are appended into
 * one file. A resource seen twice is written once when both copies are the same text, and the
 * pull is rejected when they differ: picking one copy silently could show the night shift an
 * outdated medication list. Memory stays bounded: lines stream through a small buffer per type,
 * and what is remembered per resource is 12 bytes of hashes (seen-set.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { ReservError, toReservError } from '../core/errors.ts';
import type { BulkFolderManifest } from './bulk-folder.ts';
import { SeenSet } from './seen-set.ts';
import { DEFAULT_LIMITS } from '../snapshot/verify.ts';

// FHIR id: https://hl7.org/fhir/R4/datatypes.html#id; type names become file names, so plain.
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const RESOURCE_TYPE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const FLUSH_AT = 256 * 1024;

interface TypeFile {
  readonly fd: number;
  buffer: string;
  count: number;
}

export interface WrittenManifest extends BulkFolderManifest {
  readonly request: string;
  readonly requiresAccessToken: false;
  readonly output: { type: string; url: string; count: number }[];
  readonly error: never[];
}

function invalid(where: string, what: string): ReservError {
  return new ReservError('SOURCE_FILE_INVALID', { details: [`${where}: ${what}`] });
}

export class FolderWriter {
  private readonly files = new Map<string, TypeFile>();
  private readonly seen = new SeenSet();
  private bytes = 0;
  private closed = false;
  duplicatesSkipped = 0;

  private constructor(
    readonly outDir: string,
    private readonly tmpDir: string,
    private readonly maxBytes: number,
  ) {}

  /** `outDir` must not exist or be empty; nothing appears under its name before commit(). */
  static open(outDir: string, maxBytes = DEFAULT_LIMITS.maxPlainBytes): FolderWriter {
    const finalDir = path.resolve(outDir);
    if (existsSync(finalDir) && readdirSync(finalDir).length > 0)
      throw new ReservError('USAGE', {
        details: [`--out ${outDir} already holds files: give a new or empty folder`],
      });
    const parent = path.dirname(finalDir);
    mkdirSync(parent, { recursive: true });
    const tmpDir = path.join(
      parent,
      `.${path.basename(finalDir)}.partial-${randomBytes(4).toString('hex')}`,
    );
    mkdirSync(tmpDir);
    return new FolderWriter(finalDir, tmpDir, maxBytes);
  }

  /** One NDJSON line expected to hold a `type` resource; `where` names it in errors. */
  addLine(type: string, line: string, where: string): void {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw invalid(where, 'not valid JSON');
    }
    const r = json as { resourceType?: unknown; id?: unknown } | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw invalid(where, 'not a JSON object');
    if (r.resourceType !== type) throw invalid(where, `not a ${type} resource`);
    this.write(type, r.id, line, where);
  }

  /**
   * A resource already parsed (from a Bundle) with its exact text; the type comes from the
   * resource itself.
   */
  addResource(resourceType: unknown, id: unknown, text: string, where: string): void {
    if (typeof resourceType !== 'string' || !RESOURCE_TYPE.test(resourceType))
      throw invalid(where, 'resource without a valid resourceType');
    if (text.includes('\n')) throw invalid(where, 'resource text spans lines');
    this.write(resourceType, id, text, where);
  }

  private write(type: string, id: unknown, line: string, where: string): void {
    if (this.closed) throw new Error('FolderWriter used after commit or abort');
    if (!RESOURCE_TYPE.test(type)) throw invalid(where, 'not a usable resource type name');
    if (typeof id !== 'string' || !FHIR_ID.test(id)) throw invalid(where, 'missing or invalid id');
    const file = this.fileFor(type);
    const seen = this.seen.check(type, id, line);
    if (seen === 'different')
      throw invalid(where, `${type}/${id} appears twice with different content`);
    if (seen === 'same') {
      this.duplicatesSkipped++;
      return;
    }
    // Whatever the source (a gzip file that unpacks without end, a runaway server), the folder
    // never outgrows what a station accepts unpacked in all: it could not be delivered anyway.
    this.bytes += Buffer.byteLength(line) + 1;
    if (this.bytes > this.maxBytes)
      throw invalid(where, `the export is larger than ${this.maxBytes} bytes of NDJSON`);
    file.buffer += line + '\n';
    file.count++;
    if (file.buffer.length >= FLUSH_AT) this.flush(file);
  }

  private fileFor(type: string): TypeFile {
    let file = this.files.get(type);
    if (file === undefined) {
      file = {
        fd: openSync(path.join(this.tmpDir, `${type}.ndjson`), 'wx'),
        buffer: '',
        count: 0,
      };
      this.files.set(type, file);
    }
    return file;
  }

  private flush(file: TypeFile): void {
    if (file.buffer === '') return;
    writeSync(file.fd, file.buffer);
    file.buffer = '';
  }

  /**
   * A folder for downloads in progress, inside the temporary folder so that an abort removes it
   * too; it is deleted before commit() moves the folder into place.
   */
  scratch(): string {
    const dir = path.join(this.tmpDir, '.scratch');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Resources written so far, per type. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.files].map(([t, f]) => [t, f.count]));
  }

  /** Write the manifest, flush everything to disk and move the folder to its final name. */
  commit(meta: { transactionTime: string; request: string }): WrittenManifest {
    if (this.closed) throw new Error('FolderWriter committed twice');
    const types = [...this.files.keys()].sort();
    const manifest: WrittenManifest = {
      transactionTime: meta.transactionTime,
      request: meta.request,
      requiresAccessToken: false,
      output: types.map((type) => ({
        type,
        url: `${type}.ndjson`,
        count: this.files.get(type)!.count,
      })),
      error: [],
    };
    try {
      for (const file of this.files.values()) {
        this.flush(file);
        fsyncSync(file.fd);
        closeSync(file.fd);
      }
      this.files.clear();
      rmSync(path.join(this.tmpDir, '.scratch'), { recursive: true, force: true });
      const manifestFile = path.join(this.tmpDir, 'manifest.json');
      writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
      const fd = openSync(manifestFile, 'r+');
      fsyncSync(fd);
      closeSync(fd);
      // An empty final folder (allowed by open) is removed so the rename can take its place.
      if (existsSync(this.outDir)) rmdirSync(this.outDir);
      renameSync(this.tmpDir, this.outDir);
    } catch (error) {
      this.abort();
      // A full disk or a folder we may not write gets its own code; nothing is left behind.
      throw toReservError(error);
    }
    this.closed = true;
    return manifest;
  }

  /** Remove the temporary folder; the final name is never touched. Safe to call twice. */
  abort(): void {
    for (const file of this.files.values()) {
      try {
        closeSync(file.fd);
      } catch {
        // already closed
      }
    }
    this.files.clear();
    this.closed = true;
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
