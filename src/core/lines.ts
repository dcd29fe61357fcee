/**
 * Splitting a byte stream into text lines with a hard cap on line length, so a file without
 * newlines (or a hostile one) cannot make us buffer without bound.
 */
import { StringDecoder } from 'node:string_decoder';

export class LineTooLong extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} is longer than the limit`);
  }
}

/** Feeds chunks in, calls `onLine` for every complete line (without the newline). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private lineNo = 0;

  constructor(
    private readonly maxLineChars: number,
    private readonly onLine: (line: string, lineNumber: number) => void,
  ) {}

  push(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > this.maxLineChars) throw new LineTooLong(this.lineNo + 1);
  }

  end(): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (text.length > 0) this.emit(text);
  }

  private emit(raw: string): void {
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > this.maxLineChars) throw new LineTooLong(this.lineNo);
    this.onLine(line, this.lineNo);
  }
}
