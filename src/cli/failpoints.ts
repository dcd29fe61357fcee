/**
 * Test hook: RESERVJOURNAL_FAILPOINTS="name=mode,…" makes the named failpoint throw, exit
 * (code 99, no clean-up) or kill the process with SIGKILL, as a power cut would. `*` matches
 * every failpoint. Unset (always, outside tests) it does nothing.
 */
import { ReservError } from '../core/errors.ts';
import { noFailpoints, type Failpoint } from '../core/failpoints.ts';

export function failpointsFrom(spec: string | undefined): Failpoint {
  if (!spec) return noFailpoints;
  const table = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [name, mode] = part.split('=');
    if (name && mode) table.set(name, mode);
  }
  return (name) => {
    const mode = table.get(name) ?? table.get('*');
    if (mode === 'throw') throw new ReservError('INTERNAL', { details: [`failpoint ${name}`] });
    if (mode === 'exit') process.exit(99);
    if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
  };
}
