/**
 * Splitting a byte stream into text lines with a hard cap on line length, so a file without
 * newlines (or a hostile one) cannot make us buffer without bound.
 *
 * Lines are cut on the newline byte first and each line is then decoded on its own as strict
 * UTF-8: invalid bytes are an error naming their line (InvalidUtf8), never silently replaced,
 * because the station stores the text exactly as received. (Lenient mode, for counting lines of
 * deliberately broken test input only, replaces them instead.) An unfinished line is kept as a
 * list of byte pieces and joined once, so a long line costs time in proportion to its length
 * whatever the chunk size. The limit counts UTF-16 code units of the line without its CR LF;
 * unfinished lines are cut off once they hold more bytes than any line within the limit can.
 */
import { ReservError, toReservError, type ErrorCode } from './errors.ts';

export class LineTooLong extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} is longer than the limit`);
  }
}

export class InvalidUtf8 extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} is not valid UTF-8`);
  }
}

/** Feeds chunks in, calls `onLine` for every complete line (without the newline). */
export class LineSplitter {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private pieces: Buffer[] = [];
  private pending = 0;
  private lineNo = 0;
  // A code unit takes at most 3 UTF-8 bytes; one more byte may be the CR of CR LF.
  private readonly maxPendingBytes: number;

  constructor(
    private readonly maxLineChars: number,
    private readonly onLine: (line: string, lineNumber: number) => void,
    options: { lenient?: boolean } = {},
  ) {
    this.decoder = new TextDecoder('utf-8', { fatal: !options.lenient, ignoreBOM: true });
    this.maxPendingBytes = maxLineChars * 3 + 1;
  }

  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      const tail = buf.subarray(start, nl);
      const bytes = this.pieces.length > 0 ? Buffer.concat([...this.pieces, tail]) : tail;
      this.pieces = [];
      this.pending = 0;
      this.emit(bytes);
      start = nl + 1;
    }
    if (start < buf.length) {
      // Copy: the caller may reuse its buffer.
      const rest = Buffer.from(buf.subarray(start));
      this.pieces.push(rest);
      this.pending += rest.length;
      if (this.pending > this.maxPendingBytes) throw new LineTooLong(this.lineNo + 1);
    }
  }

  end(): void {
    if (this.pieces.length === 0) return;
    const bytes = Buffer.concat(this.pieces);
    this.pieces = [];
    this.pending = 0;
    if (bytes.length > 0) this.emit(bytes);
  }

  private emit(bytes: Buffer): void {
    this.lineNo++;
    let raw: string;
    try {
      raw = this.decoder.decode(bytes);
    } catch {
      throw new InvalidUtf8(this.lineNo);
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > this.maxLineChars) throw new LineTooLong(this.lineNo);
    this.onLine(line, this.lineNo);
  }
}

/**
 * The ReservError for a failure while splitting or handling a line: a line too long or not
 * UTF-8 names its file and line; a ReservError stays as it is; anything else is a defect in
 * our own line handling and stays visible as such (never blamed on decryption).
 */
export function lineFailure(error: unknown, file: string, code: ErrorCode): ReservError {
  if (error instanceof LineTooLong)
    return new ReservError(code, { details: [`${file} line ${error.lineNumber}: too long`] });
  if (error instanceof InvalidUtf8)
    return new ReservError(code, {
      details: [`${file} line ${error.lineNumber}: not valid UTF-8`],
    });
  return toReservError(error);
}
