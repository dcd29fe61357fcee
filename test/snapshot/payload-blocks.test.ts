/**
 * The deflate-blocks payload layout (src/snapshot/payload-blocks.ts) and the compressed raw-text
 * blocks of the station database (src/store/raw-blocks.ts): what the builder writes, the station
 * reads back exactly, however the bytes are chunked on the way.
 */
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReservError } from '../../src/core/errors.ts';
import {
  BLOCK_TARGET_BYTES,
  blockLines,
  BlockReader,
  blockWriter,
  maxBlockBytes,
} from '../../src/snapshot/payload-blocks.ts';
import type { PreparedRow } from '../../src/store/prepare-row.ts';
import { BlockPacker, blockReader, rawLine } from '../../src/store/raw-blocks.ts';

/** The details of the ReservError `fn` throws, one per line. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReservError);
    return (e as ReservError).details.join('\n');
  }
  throw new Error('expected a ReservError');
}

async function write(text: Buffer, chunk: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const pieces: Buffer[] = [];
  for (let i = 0; i < text.length; i += chunk) pieces.push(text.subarray(i, i + chunk));
  await pipeline(
    Readable.from(pieces),
    blockWriter(),
    new Writable({
      write(c: Buffer, _e, done) {
        parts.push(c);
        done();
      },
    }),
  );
  return Buffer.concat(parts);
}

function read(payload: Buffer, chunk: number): Buffer[] {
  const reader = new BlockReader('Patient.ndjson.blocks', maxBlockBytes(1 << 20));
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunk)
    out.push(...reader.push(payload.subarray(i, i + chunk)));
  reader.end();
  return out;
}

const line = (i: number, pad: number) =>
  `{"resourceType":"Patient","id":"p-${i}","note":"${'å'.repeat(pad)}"}`;

describe('deflate-blocks payload', () => {
  it('decompresses to exactly the NDJSON it was made of, in blocks of whole lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 70_000 }),
        fc.integer({ min: 1, max: 9_000 }),
        async (pads, finalNewline, inChunk, outChunk) => {
          const text = Buffer.from(
            pads.map((p, i) => line(i, p)).join('\n') + (finalNewline ? '\n' : ''),
          );
          const blocks = read(await write(text, inChunk), outChunk);
          const texts = blocks.map((b) => inflateRawSync(b));
          expect(Buffer.concat(texts).equals(text)).toBe(true);
          // Every block but the last ends at a line end; none is cut inside a line.
          for (const t of texts.slice(0, -1)) expect(t[t.length - 1]).toBe(0x0a);
          // A block closes at the first line end after the target size.
          for (const t of texts.slice(0, -1)) {
            const lastBreakBefore = t.subarray(0, t.length - 1).lastIndexOf(0x0a);
            expect(lastBreakBefore).toBeLessThan(BLOCK_TARGET_BYTES - 1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a length beyond the largest block, a zero length, and a cut-off last block', () => {
    const reader = () => new BlockReader('X.ndjson.blocks', 1000);
    const header = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    expect(failure(() => reader().push(header(1001)))).toMatch(/a block claims 1001 bytes/);
    expect(failure(() => reader().push(header(0)))).toMatch(/a block claims 0 bytes/);
    const cut = reader();
    expect(cut.push(Buffer.concat([header(10), Buffer.alloc(5)]))).toEqual([]);
    expect(failure(() => cut.end())).toMatch(/the last block is cut off/);
  });

  it('splits a block into lines: CR LF ends, one CR of a line kept, blank lines counted', () => {
    const text = Buffer.from('a\r\n\nb\r\r\nc\rd\ne');
    expect(blockLines(text, 'X', 1, 100)).toEqual({
      lines: ['a', '', 'b\r', 'c\rd', 'e'],
      terminated: false,
    });
    expect(blockLines(Buffer.from('a\n'), 'X', 1, 100)).toEqual({
      lines: ['a'],
      terminated: true,
    });
  });

  it('names the line that is not UTF-8 or too long, and refuses an empty block', () => {
    const bad = Buffer.concat([
      Buffer.from('ok\nok\n'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    expect(failure(() => blockLines(bad, 'X.ndjson.blocks', 7, 100))).toBe(
      'X.ndjson.blocks: line 9: not valid UTF-8',
    );
    expect(failure(() => blockLines(Buffer.from('abc\nabcdef\n'), 'X', 1, 5))).toBe(
      'X: line 2: too long',
    );
    expect(failure(() => blockLines(Buffer.alloc(0), 'X', 1, 5))).toBe('X: a block is empty');
  });
});

describe('raw text blocks in the station database', () => {
  const row = (id: string): PreparedRow => ({
    type: 'Patient',
    id,
    patientId: id,
    date: null,
    status: null,
    refs: null,
    findings: [],
  });

  it('gives back every packed line exactly, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 3000 }),
            fc.constantFrom('x\r', 'x\r\r', '\r', 'å\u0000ä', '{"a":0.010}'),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        (texts) => {
          const lines = texts.map((t) => t.replaceAll('\n', ' '));
          const packer = new BlockPacker();
          lines.forEach((l, i) => packer.add(row(`r${i}`), l));
          const batch = packer.take();
          const read = blockReader(4);
          lines.forEach((l, i) => {
            const block = batch.block[i]!;
            expect(rawLine(batch.blocks[block]!, batch.line[i]!)).toBe(l);
            expect(read(block, batch.blocks[block]!, batch.line[i]!)).toBe(l);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores a block that arrived compressed as it is, and reads its lines back', () => {
    const data = deflateRawSync('first\r\n\nthird\n');
    const packer = new BlockPacker();
    packer.startBlock(data);
    packer.addToBlock(row('a'), 0);
    packer.addToBlock(row('c'), 2);
    const batch = packer.take();
    expect(batch.blocks).toHaveLength(1);
    expect(Buffer.from(batch.blocks[0]!).equals(data)).toBe(true);
    expect(batch.line).toEqual([0, 2]);
    expect(rawLine(batch.blocks[0]!, 0)).toBe('first');
    expect(rawLine(batch.blocks[0]!, 2)).toBe('third');
    expect(() => rawLine(batch.blocks[0]!, 3)).toThrow(/no line 3/);
  });

  it('gives each block memory of its own, so a batch does not carry its neighbours across threads', () => {
    const big = Buffer.concat([Buffer.alloc(1 << 16), deflateRawSync('x\n')]);
    const packer = new BlockPacker();
    packer.startBlock(big.subarray(1 << 16));
    packer.addToBlock(row('x'), 0);
    const block = packer.take().blocks[0]!;
    expect(block.buffer.byteLength).toBe(block.byteLength);
  });
});
