/**
 * Replacing a small file so that a reader sees either the old bytes or the new ones, never a
 * mixture or an empty file: write a temporary file next to it, flush it to disk, rename it over
 * the old name, then flush the folder so the rename itself survives a power cut. Rename is atomic
 * on POSIX file systems; the outbox and the exporter's state live on the exporter host, which is
 * Linux (docs/operations.md). A crash leaves at most a stray `*.tmp` file, which the next write
 * of the same file removes.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  fsyncFolder(path.dirname(file));
}

/** Flush a folder's entries (a rename or a new file) to disk; a no-op where folders cannot be opened. */
export function fsyncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows and some network file systems refuse fsync on a folder; the rename still happened.
  } finally {
    closeSync(fd);
  }
}

/** Flush an existing file's bytes to disk. */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
