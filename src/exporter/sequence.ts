/**
 * Per-station sequence numbers. A station accepts a snapshot only if its sequence is higher than
 * the last one it accepted (rollback protection), so the exporter must never hand out a number
 * twice or go backwards, even after losing its state.
 *
 * The next number for a station is the largest of: the last number handed out + 1 (from
 * `stateDir/sequences.json`), the sequence its outbox index names + 1, and the minutes since the
 * Unix epoch at the time of the run. The last term means a lost or restored-from-backup state
 * file cannot make a station see a rollback as long as runs are at least a minute apart and the
 * exporter host's clock never runs backwards by more than the time between two runs (keep it on
 * NTP). A number is recorded (atomically) before the snapshot is built, so a build that fails
 * half-way burns its number rather than reusing it for different content.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

const FILE = 'sequences.json';

interface SequenceState {
  readonly format: 'reservjournal-exporter-sequences';
  readonly stations: Record<string, number>;
}

/** The last number handed out per station; empty when the file is missing or damaged. */
export function readSequences(stateDir: string): Record<string, number> {
  const file = path.join(stateDir, FILE);
  if (!existsSync(file)) return {};
  let parsed: Partial<SequenceState>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SequenceState>;
  } catch {
    // A damaged file counts as lost: the outbox index and the clock still keep numbers rising,
    // and blocking every publication until someone repairs it would leave stations stale.
    return {};
  }
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(parsed.stations ?? {}))
    if (Number.isSafeInteger(n) && n > 0) out[name] = n;
  return out;
}

/**
 * Hand out the next sequence number for `station` and record it before returning.
 * `published` is the sequence the station's outbox index names (0 when none).
 */
export function reserveSequence(
  stateDir: string,
  station: string,
  published: number,
  now: Date,
): number {
  mkdirSync(stateDir, { recursive: true });
  const all = readSequences(stateDir);
  const next = Math.max((all[station] ?? 0) + 1, published + 1, Math.floor(now.getTime() / 60_000));
  const state: SequenceState = {
    format: 'reservjournal-exporter-sequences',
    stations: { ...all, [station]: next },
  };
  writeFileAtomic(path.join(stateDir, FILE), JSON.stringify(state, null, 2) + '\n', 0o600);
  return next;
}
