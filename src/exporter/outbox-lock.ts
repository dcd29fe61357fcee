/**
 * One exporter run at a time per outbox. Two runs publishing into the same outbox would hand out
 * sequence numbers and delete old snapshots under each other's feet. The lock is a file created
 * exclusively (`wx`) in the outbox, holding the holder's process id and host name. A lock left by
 * a process that no longer runs on this host (killed, power cut) is taken over; a lock from
 * another host cannot be checked and counts as held (the error names the file, which an operator
 * may remove once sure that host's exporter is stopped). A lock this process took and still holds
 * counts as held too, so a second run inside one daemon is refused like any other.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { isErrno, ReservError } from '../core/errors.ts';

export const LOCK_FILE = '.exporter.lock';

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e) && e.code === 'EPERM';
  }
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string'
      ? { pid: h.pid, host: h.host, since: String(h.since ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

/** An empty lock file may be one another exporter created a moment ago and is still writing. */
function justWritten(file: string, now: Date): boolean {
  try {
    return Math.abs(now.getTime() - statSync(file).mtimeMs) < 60_000;
  } catch {
    return false;
  }
}

/** Take the outbox lock or throw EXPORTER_BUSY; returns the release function. */
export function acquireOutboxLock(outbox: string, now: Date): () => void {
  const file = path.join(outbox, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: now.toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me) + '\n', { flag: 'wx', mode: 0o600 });
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (e) {
      if (!isErrno(e) || e.code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    if (holder === undefined && justWritten(file, now))
      throw new ReservError('EXPORTER_BUSY', { details: [`${file} is being taken right now`] });
    const live =
      holder !== undefined &&
      (holder.host !== me.host ||
        (holder.pid === process.pid ? heldHere.has(file) : alive(holder.pid)));
    if (live)
      throw new ReservError('EXPORTER_BUSY', {
        details: [`process ${holder.pid} on ${holder.host} has held ${file} since ${holder.since}`],
      });
    // Unreadable for a while (a crash while writing it) or left by a process that is gone.
    rmSync(file, { force: true });
  }
  throw new ReservError('EXPORTER_BUSY', { details: [`cannot take ${file}`] });
}
