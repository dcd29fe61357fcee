/**
 * Phone numbers from the ranges that the Swedish Post and Telecom Authority (PTS) sets aside for
 * use in fiction and examples, so a generated number can never ring a real person.
 */
import type { Rng } from './random.ts';

export function mobileNumber(rng: Rng): string {
  return `070-174 06 ${String(rng.int(5, 99)).padStart(2, '0')}`;
}

export function landlineNumber(rng: Rng): string {
  return `08-465 004 ${String(rng.int(0, 99)).padStart(2, '0')}`;
}
