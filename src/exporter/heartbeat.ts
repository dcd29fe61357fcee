/**
 * The exporter's heartbeat: OUTBOX/heartbeat.json, rewritten atomically at the end of every run,
 * whether it published or failed. Stations and monitoring read it to tell "the exporter is alive
 * but the journal system is down" from "the exporter has stopped", and to know from the schedule
 * itself (expectedIntervalMinutes plus graceMinutes) when the exporter is late.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HEARTBEAT_FORMAT, type Heartbeat } from '../link/outbox-format.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { outboxError } from './outbox.ts';

export const HEARTBEAT_FILE = 'heartbeat.json';

export function readHeartbeat(outbox: string): Heartbeat | null {
  try {
    const hb = JSON.parse(readFileSync(path.join(outbox, HEARTBEAT_FILE), 'utf8')) as Heartbeat;
    return hb.format === HEARTBEAT_FORMAT ? hb : null;
  } catch {
    return null;
  }
}

export function writeHeartbeat(outbox: string, heartbeat: Heartbeat): void {
  try {
    writeFileAtomic(path.join(outbox, HEARTBEAT_FILE), JSON.stringify(heartbeat, null, 2) + '\n');
  } catch (error) {
    throw outboxError(error);
  }
}
