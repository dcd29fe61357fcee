/**
 * The import's integrity check, on a worker thread (check-worker.ts) with a connection of its
 * own, so that the main thread can look for dangling references at the same time.
 */
import { ReservError, toReservError, type ErrorCode } from '../core/errors.ts';
import { startTsWorker } from '../core/ts-worker.ts';
import type { CheckJob, CheckMessage } from './check-worker.ts';

const CHECK_WORKER = new URL('./check-worker.ts', import.meta.url);

/**
 * `PRAGMA integrity_check` of the staging database on a worker thread, started ahead of time:
 * `run` once the database is complete; `stop` in any case.
 */
export function integrityChecker(file: string, keyHex: string) {
  const worker = startTsWorker(CHECK_WORKER, { workerData: { file, keyHex } satisfies CheckJob });
  const result = new Promise<CheckMessage>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', (e) => reject(toReservError(e)));
    worker.once('exit', (code) =>
      reject(new ReservError('INTERNAL', { details: [`check worker ended with ${code}`] })),
    );
  });
  // Stopping early must not leave an unhandled rejection behind.
  result.catch(() => undefined);
  return {
    async run(): Promise<string> {
      worker.postMessage('check');
      const m = await result;
      if (m.kind === 'error') throw new ReservError(m.code as ErrorCode, { details: m.details });
      return m.result;
    },
    stop: () => worker.terminate(),
  };
}
