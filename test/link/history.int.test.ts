/**
 * Sync history does not grow without end: rows older than SYNC_HISTORY_DAYS go, but the newest
 * good sync and the newest heartbeat read stay, so "no contact since …" still has its date.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  recordSyncEvent,
  SYNC_HISTORY_DAYS,
  type NewSyncEvent,
} from '../../src/link/link-state.ts';
import { openStation } from '../../src/station/station.ts';
import { makeExporter, makeStation } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('sync-history');
const DAY = 86_400_000;

function event(at: number, outcome: NewSyncEvent['outcome'], heartbeat: boolean): NewSyncEvent {
  return {
    at: new Date(at).toISOString(),
    source: 'https://exporter.example/outbox/',
    outcome,
    code: outcome === 'unreachable' ? 'SYNC_UNREACHABLE' : null,
    message: null,
    sequence: null,
    bytes: null,
    heartbeatAt: heartbeat ? new Date(at).toISOString() : null,
    lastPublishedAt: null,
    expectedIntervalMinutes: heartbeat ? 720 : null,
    graceMinutes: heartbeat ? 60 : null,
  };
}

describe('sync history', () => {
  it('forgets old rows but keeps the newest good sync and the newest heartbeat', () => {
    const station = makeStation(path.join(root, 'st'), makeExporter(path.join(root, 'exp')));
    const s = openStation(station.dataDir);
    try {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      recordSyncEvent(s.control, event(t0, 'up-to-date', true));
      recordSyncEvent(s.control, event(t0 + DAY, 'up-to-date', true));
      // Then the link goes down for good: every sync unreachable, for 120 days.
      for (let d = 2; d <= 120; d++)
        recordSyncEvent(s.control, event(t0 + d * DAY, 'unreachable', false));
      const rows = s.control.prepare('SELECT at, outcome FROM sync_event ORDER BY pk').all() as {
        at: string;
        outcome: string;
      }[];
      const cutoff = t0 + (120 - SYNC_HISTORY_DAYS) * DAY;
      expect(rows[0]).toEqual({ at: new Date(t0 + DAY).toISOString(), outcome: 'up-to-date' });
      expect(rows.slice(1).every((r) => Date.parse(r.at) >= cutoff)).toBe(true);
      expect(rows).toHaveLength(1 + SYNC_HISTORY_DAYS + 1);
    } finally {
      s.close();
    }
  });
});
