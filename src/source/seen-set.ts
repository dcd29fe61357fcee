/**
 * Which resources a pull has already written, in a few bytes each.
 *
 * The folder writer must notice a resource that arrives twice (several Bulk Data files, pages
 * or Bundles naming the same type/id) and tell an identical copy (skipped) from a conflicting
 * one (the pull fails). Remembering every id as a string costs about 100 bytes per resource,
 * close to a gigabyte for a large municipality; this open-addressing table keeps a 64-bit hash
 * of "type/id" and a 32-bit hash of the text, 12 bytes a slot, in typed arrays outside the
 * JavaScript heap (about 110 MB for 4.4 million resources).
 *
 * Hashes can collide. Two different resources sharing a 64-bit key hash (odds about one in two
 * million at 4.4 million resources) make the pull fail loudly as a "conflicting duplicate",
 * which is safe: nothing wrong is published, and the next pull is another draw only if the data
 * changed. A conflicting copy taken for an identical one would need both hashes to collide.
 */
import { createHash } from 'node:crypto';

export type Seen = 'new' | 'same' | 'different';

const MAX_LOAD = 0.75;

export class SeenSet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private text = new Uint32Array(1 << 16);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** Record `type/id` with the hash of its text; says whether it was new, the same, or not. */
  check(type: string, id: string, line: string): Seen {
    const key = createHash('sha256').update(type).update('/').update(id).digest();
    let hi = key.readUInt32LE(0);
    const lo = key.readUInt32LE(4);
    if (hi === 0 && lo === 0) hi = 1; // (0, 0) marks an empty slot
    const text = createHash('sha256').update(line).digest().readUInt32LE(0);
    if ((this.used + 1) / this.hi.length > MAX_LOAD) this.grow();
    return this.place(hi, lo, text);
  }

  private place(hi: number, lo: number, text: number): Seen {
    const mask = this.hi.length - 1;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      if (this.hi[i] === 0 && this.lo[i] === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.text[i] = text;
        this.used++;
        return 'new';
      }
      if (this.hi[i] === hi && this.lo[i] === lo)
        return this.text[i] === text ? 'same' : 'different';
    }
  }

  private grow(): void {
    const { hi, lo, text } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.text = new Uint32Array(hi.length * 2);
    this.used = 0;
    for (let i = 0; i < hi.length; i++)
      if (hi[i] !== 0 || lo[i] !== 0) this.place(hi[i]!, lo[i]!, text[i]!);
  }
}
