/**
 * The raw JSON text of every resource, stored in compressed blocks.
 *
 * Why blocks: the raw text is most of a snapshot (about 600 bytes a resource) and every page
 * of the database is encrypted when written and decrypted again by the integrity check. Lines
 * of one type compress about tenfold together but hardly at all one by one (and zlib's set-up
 * costs more than a small line), so consecutive lines of one payload file are kept together,
 * about 32 KB of text a block, raw deflate (RFC 1951). A block's text is its lines, each ended
 * by "\n" or "\r\n" (the last one may lack it); blank lines count. A line's text is what lies
 * between the line ends, as NDJSON reading everywhere in this program defines it (LineSplitter).
 * A resource names its block and its line within the block; `rj_raw(block, data, line)` gives
 * the text back, exactly.
 *
 * Snapshots in the "deflate-blocks" layout arrive in exactly this shape and their blocks are
 * stored as they are (`startBlock`/`addToBlock`); for other input the packer compresses the
 * lines itself (`add`), on the thread that parses them.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { PatientIndexRow, PreparedRow, UnitIndexRow } from './prepare-row.ts';

/** Close a block once it holds this many characters of text. */
export const BLOCK_TARGET_CHARS = 32 * 1024;

/** What a row has besides its index columns; few rows have any of it. */
export interface RowExtras {
  readonly row: number;
  readonly findings: [code: string, detail: string][];
  readonly patient?: PatientIndexRow;
  readonly unit?: UnitIndexRow;
}

/**
 * What one write stores: compressed blocks and the rows that point into them (row i's text is
 * line `line[i]` of block `block[i]`). Column by column rather than an object per row, because
 * the batch crosses from the parsing thread to the writing thread and arrays of plain values
 * are about half the cost to copy across.
 */
export interface StagedBatch {
  readonly blocks: Uint8Array[];
  readonly type: string[];
  readonly id: string[];
  readonly patientId: (string | null)[];
  readonly date: (string | null)[];
  readonly status: (string | null)[];
  readonly refs: (string | null)[];
  readonly block: number[];
  readonly line: number[];
  readonly extras: RowExtras[];
}

const emptyBatch = (): StagedBatch => ({
  blocks: [],
  type: [],
  id: [],
  patientId: [],
  date: [],
  status: [],
  refs: [],
  block: [],
  line: [],
  extras: [],
});

/**
 * A block in memory of its own. A batch crosses to the writing thread by structured clone, which
 * copies a view's whole underlying memory: a block that is a slice of a 1 MB read chunk (or of
 * zlib's 16 KB output buffer) would carry all of it along.
 */
function own(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
    ? data
    : new Uint8Array(data);
}

/** Collects rows and their lines into blocks; `take` closes the open block and hands all over. */
export class BlockPacker {
  private lines: string[] = [];
  private chars = 0;
  private batch = emptyBatch();

  get size(): number {
    return this.batch.id.length;
  }

  /** A row and its text, packed into a block of this packer's making. */
  add(row: PreparedRow, raw: string): void {
    this.push(row, this.batch.blocks.length, this.lines.length);
    // A text that itself ends with CR keeps it: the reader takes one CR off as part of the end.
    this.lines.push(raw.charCodeAt(raw.length - 1) === 13 ? `${raw}\r` : raw);
    this.chars += raw.length;
    if (this.chars >= BLOCK_TARGET_CHARS) this.close();
  }

  /** Start a block that arrived compressed; `addToBlock` then adds the rows of its lines. */
  startBlock(data: Uint8Array): void {
    this.close();
    this.batch.blocks.push(own(data));
  }

  /** A row whose text is line `line` of the block started last. */
  addToBlock(row: PreparedRow, line: number): void {
    this.push(row, this.batch.blocks.length - 1, line);
  }

  private push(row: PreparedRow, block: number, line: number): void {
    const b = this.batch;
    if (row.findings.length > 0 || row.patient !== undefined || row.unit !== undefined)
      b.extras.push({
        row: b.id.length,
        findings: row.findings,
        ...(row.patient && { patient: row.patient }),
        ...(row.unit && { unit: row.unit }),
      });
    b.type.push(row.type);
    b.id.push(row.id);
    b.patientId.push(row.patientId);
    b.date.push(row.date);
    b.status.push(row.status);
    b.refs.push(row.refs);
    b.block.push(block);
    b.line.push(line);
  }

  take(): StagedBatch {
    this.close();
    const batch = this.batch;
    this.batch = emptyBatch();
    return batch;
  }

  private close(): void {
    if (this.lines.length === 0) return;
    // Level 1, the fastest: at this block size the default level saves only a few per cent.
    this.batch.blocks.push(
      deflateRawSync(Buffer.from(`${this.lines.join('\n')}\n`, 'utf8'), { level: 1 }),
    );
    this.lines = [];
    this.chars = 0;
  }
}

/** An inflated block and where each of its lines starts. */
interface OpenBlock {
  readonly text: Buffer;
  readonly starts: number[];
}

function openBlock(data: Uint8Array): OpenBlock {
  const text = inflateRawSync(data);
  const starts = [0];
  for (let at = text.indexOf(10); at !== -1 && at + 1 < text.length; at = text.indexOf(10, at + 1))
    starts.push(at + 1);
  return { text, starts };
}

function lineOf(block: OpenBlock, line: number): string {
  const start = block.starts[line];
  if (start === undefined) throw new Error(`raw block has no line ${line}`);
  let end = block.text.indexOf(10, start);
  if (end === -1) end = block.text.length;
  if (end > start && block.text[end - 1] === 13) end--;
  return block.text.toString('utf8', start, end);
}

/** Line `line` of one compressed block (used where no cache is at hand). */
export function rawLine(data: Uint8Array, line: number): string {
  return lineOf(openBlock(data), line);
}

/**
 * A reader for one database connection: remembers the last few inflated blocks by their key,
 * because one page reads many resources of one person and those sit in the same few blocks.
 * Blocks never change after the import, so a key always names the same content.
 */
export function blockReader(
  capacity = 32,
): (key: number, data: Uint8Array, line: number) => string {
  const cache = new Map<number, OpenBlock>();
  return (key, data, line) => {
    let block = cache.get(key);
    if (block === undefined) {
      block = openBlock(data);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(key, block);
    }
    return lineOf(block, line);
  };
}
