/**
 * The two payload layouts a station reads, as sinks for a payload file's decrypted bytes: each
 * checks and prepares the file's lines and packs them for the writer (stage-worker.ts).
 *
 * - "deflate-blocks" (payload-blocks.ts): blocks are stored as they arrive; each is inflated
 *   once here to check and index its lines.
 * - "gzip" (earlier versions): the gunzipped text is split into lines, which the packer
 *   compresses into blocks itself.
 */
import { inflateRawSync } from 'node:zlib';
import { ReservError } from '../core/errors.ts';
import { LineSplitter } from '../core/lines.ts';
import type { PreparedRow } from '../store/prepare-row.ts';
import type { BlockPacker } from '../store/raw-blocks.ts';
import { blockLines, BlockReader, maxBlockBytes } from './payload-blocks.ts';

export interface Layout {
  /**
   * Take decrypted bytes in steps: each step handles some lines, and after each step a full
   * batch may be sent, so one chunk that holds many blocks still goes out in batches.
   */
  steps(chunk: Buffer): Iterable<void>;
  /** After the last byte. */
  end(): void;
  /** Whether the bytes arrive gunzipped (gzip) or as they are stored (deflate-blocks). */
  readonly gunzipped: boolean;
  /** True while a line still waits to be added to the newest block: no batch may go then. */
  readonly holding: boolean;
}

/** What one file's layout needs: where rows go and how a line becomes a row. */
export interface LayoutContext {
  readonly name: string;
  readonly plainSize: number;
  readonly maxLineChars: number;
  readonly packer: BlockPacker;
  readonly prepare: (line: string, lineNo: number) => PreparedRow;
  /** Bytes of text and resources seen so far, for the checks against the manifest. */
  readonly seen: { plain: number; count: number };
}

const invalid = (name: string, what: string) =>
  new ReservError('SNAPSHOT_CONTENT_INVALID', { details: [`${name}: ${what}`] });

const tooLarge = (name: string) =>
  new ReservError('SNAPSHOT_TOO_LARGE', {
    details: [`${name}: more data than the manifest says`],
  });

export function blocksLayout(c: LayoutContext): Layout {
  const maxBlock = maxBlockBytes(c.maxLineChars);
  const reader = new BlockReader(c.name, maxBlock);
  let lineNo = 0;
  // The last line of a block without a newline at its end: it is the file's last line if no
  // block follows (it is handled at `end`), and an error if one does. Held back rather than
  // parsed at once, so that the error says what is wrong (a line cut in two) and not that
  // half a line is not JSON.
  let held: { line: string; lineNo: number; at: number } | undefined;

  const add = (line: string, n: number, at: number) => {
    if (line.trim() === '') return;
    c.packer.addToBlock(c.prepare(line, n), at);
    c.seen.count++;
  };

  const onBlock = (data: Buffer) => {
    if (held) throw invalid(c.name, 'a block ends inside a line');
    const budget = c.plainSize - c.seen.plain;
    let text: Buffer;
    try {
      // Never inflate past what the signed manifest promised (or past the largest block).
      text = inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(maxBlock, budget + 1)) });
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE')
        throw invalid(c.name, 'a block cannot be decompressed');
      throw budget < maxBlock
        ? tooLarge(c.name)
        : invalid(c.name, 'a block is larger than the longest line allows');
    }
    c.seen.plain += text.length;
    if (c.seen.plain > c.plainSize) throw tooLarge(c.name);
    const { lines, terminated } = blockLines(text, c.name, lineNo + 1, c.maxLineChars);
    c.packer.startBlock(data);
    const last = terminated ? lines.length : lines.length - 1;
    for (let at = 0; at < last; at++) add(lines[at]!, ++lineNo, at);
    if (!terminated) held = { line: lines[last]!, lineNo: ++lineNo, at: last };
  };

  return {
    gunzipped: false,
    get holding() {
      return held !== undefined;
    },
    *steps(chunk) {
      for (const block of reader.push(chunk)) yield onBlock(block);
    },
    end() {
      reader.end();
      if (held) add(held.line, held.lineNo, held.at);
      held = undefined;
    },
  };
}

export function gzipLayout(c: LayoutContext): Layout {
  const splitter = new LineSplitter(c.maxLineChars, (line, lineNo) => {
    if (line.trim() === '') return;
    c.packer.add(c.prepare(line, lineNo), line);
    c.seen.count++;
  });
  return {
    gunzipped: true,
    holding: false,
    *steps(chunk) {
      c.seen.plain += chunk.length;
      // Endless data: stop at the first byte beyond the size the signed manifest promised.
      if (c.seen.plain > c.plainSize) throw tooLarge(c.name);
      yield splitter.push(chunk);
    },
    end() {
      splitter.end();
    },
  };
}
