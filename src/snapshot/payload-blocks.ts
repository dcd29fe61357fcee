/**
 * The payload layout "deflate-blocks": each payload file's NDJSON text cut into blocks of whole
 * lines, each block compressed on its own (raw deflate, RFC 1951) and written as a 4-byte
 * big-endian length followed by the compressed bytes. Decompressed and concatenated, the blocks
 * are exactly the NDJSON text; every block but the last ends with a newline.
 *
 * Why: the station stores a resource's raw text in compressed blocks (src/store/raw-blocks.ts).
 * With the payload already in that shape, the station stores each block as it arrives instead of
 * inflating everything and deflating it again, which was a sixth of the import's work.
 */
import { Transform } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { ReservError } from '../core/errors.ts';

/** Cut a block after the first newline once it holds this many bytes. */
export const BLOCK_TARGET_BYTES = 32 * 1024;
export const FRAME_HEADER_BYTES = 4;

/**
 * Largest block, compressed or not: one line of the longest allowed length (three UTF-8 bytes
 * a character), its CR LF, and deflate's worst-case growth on incompressible bytes.
 */
export function maxBlockBytes(maxLineChars: number): number {
  const text = maxLineChars * 3 + 2;
  return text + Math.ceil(text / 1000) + 64;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The lines of one decompressed block, decoded as strict UTF-8 in one call (decoding line by
 * line cost more than the decoding itself). A line is the text between newlines less one CR
 * before the newline, as everywhere else (LineSplitter) and as the station reads it back from the
 * stored block (raw-blocks.ts), so what is read back is exactly the text that was checked.
 * `firstLine` is the file's line number of the block's first line, for messages.
 */
export function blockLines(
  text: Buffer,
  name: string,
  firstLine: number,
  maxLineChars: number,
): { lines: string[]; terminated: boolean } {
  const invalid = (what: string) =>
    new ReservError('SNAPSHOT_CONTENT_INVALID', { details: [`${name}: ${what}`] });
  if (text.length === 0) throw invalid('a block is empty');
  let decoded: string;
  try {
    decoded = strictUtf8.decode(text);
  } catch {
    // Name the line, as the other layouts do.
    let start = 0;
    for (let n = firstLine; ; n++) {
      const nl = text.indexOf(0x0a, start);
      try {
        strictUtf8.decode(text.subarray(start, nl === -1 ? text.length : nl));
      } catch {
        throw invalid(`line ${n}: not valid UTF-8`);
      }
      if (nl === -1) throw invalid('not valid UTF-8');
      start = nl + 1;
    }
  }
  const lines = decoded.split('\n');
  const terminated = lines[lines.length - 1] === '';
  if (terminated) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    if (lines[i]!.length > maxLineChars) throw invalid(`line ${firstLine + i}: too long`);
  }
  return { lines, terminated };
}

/** Builder side: NDJSON bytes in, framed blocks out. Lines are never split. */
export function blockWriter(level = 6): Transform {
  let pieces: Buffer[] = [];
  let held = 0;
  const frame = (text: Buffer): Buffer => {
    const data = deflateRawSync(text, { level });
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeUInt32BE(data.length);
    return Buffer.concat([header, data]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pieces.push(chunk);
      held += chunk.length;
      if (held < BLOCK_TARGET_BYTES) return done();
      const all = Buffer.concat(pieces);
      const out: Buffer[] = [];
      let start = 0;
      while (all.length - start >= BLOCK_TARGET_BYTES) {
        const nl = all.indexOf(0x0a, start + BLOCK_TARGET_BYTES - 1);
        if (nl === -1) break;
        out.push(frame(all.subarray(start, nl + 1)));
        start = nl + 1;
      }
      pieces = start < all.length ? [all.subarray(start)] : [];
      held = all.length - start;
      done(null, out.length > 0 ? Buffer.concat(out) : undefined);
    },
    flush(done) {
      done(null, held > 0 ? frame(Buffer.concat(pieces)) : undefined);
    },
  });
}

/**
 * Station side: decrypted bytes in, complete compressed blocks out. A length beyond
 * `maxBlock` or bytes left over at the end are SNAPSHOT_CONTENT_INVALID, so a hostile length can
 * never make the station buffer more than one legitimate block.
 */
export class BlockReader {
  private pieces: Buffer[] = [];
  private held = 0;
  // Bytes needed before the next block is complete: pieces are joined only then, so a large
  // block arriving in many small chunks is copied once, not once a chunk.
  private wanted = FRAME_HEADER_BYTES;

  constructor(
    private readonly name: string,
    private readonly maxBlock: number,
  ) {}

  /** The blocks this chunk completes (views into memory of their own chunk). */
  push(chunk: Buffer): Buffer[] {
    this.pieces.push(chunk);
    this.held += chunk.length;
    const blocks: Buffer[] = [];
    if (this.held < this.wanted) return blocks;
    const all = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    let start = 0;
    for (;;) {
      this.wanted = FRAME_HEADER_BYTES;
      if (all.length - start < FRAME_HEADER_BYTES) break;
      const length = all.readUInt32BE(start);
      if (length === 0 || length > this.maxBlock)
        throw this.invalid(`a block claims ${length} bytes`);
      this.wanted = FRAME_HEADER_BYTES + length;
      if (all.length - start < this.wanted) break;
      const from = start + FRAME_HEADER_BYTES;
      blocks.push(all.subarray(from, from + length));
      start = from + length;
    }
    const rest = all.subarray(start);
    this.pieces = rest.length > 0 ? [rest] : [];
    this.held = rest.length;
    return blocks;
  }

  end(): void {
    if (this.held > 0) throw this.invalid('the last block is cut off');
  }

  private invalid(what: string): ReservError {
    return new ReservError('SNAPSHOT_CONTENT_INVALID', { details: [`${this.name}: ${what}`] });
  }
}
