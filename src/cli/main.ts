/**
 * The command-line entry. Commands throw ReservError; this file alone turns an error into a
 * message with its next step and an exit code, and alone calls process.exit.
 */
import { readFileSync } from 'node:fs';
import { ReservError, toReservError } from '../core/errors.ts';
import { createLogger, stackFrames } from '../core/log.ts';
import { runAccess } from './commands/access.ts';
import { runAudit } from './commands/audit.ts';
import { runDemo } from './commands/demo.ts';
import { runExporter } from './commands/exporter.ts';
import { runPrint } from './commands/print.ts';
import { runPull } from './commands/pull.ts';
import { runTotp, runUsers } from './commands/users.ts';
import { runGenerate } from './commands/generate.ts';
import { runKeys, runSnapshot } from './commands/snapshot.ts';
import {
  runImport,
  runServe,
  runStationInit,
  runStationTrust,
  runStatus,
} from './commands/station.ts';
import { runStationRun, runSync } from './commands/sync.ts';
import { runStationSwitch } from './commands/station-switch.ts';
import { HELP } from './help.ts';
import { readFirstLine, readHidden } from './secret-input.ts';
import type { CliIo } from './io.ts';

const COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  demo: runDemo,
  generate: runGenerate,
  keys: runKeys,
  station: (args, io) => {
    const [verb, ...rest] = args;
    if (verb === 'init') return runStationInit(rest, io);
    if (verb === 'trust') return runStationTrust(rest, io);
    if (verb === 'switch') return runStationSwitch(rest, io);
    if (verb === 'run') return runStationRun(rest, io);
    throw new ReservError('USAGE', {
      details: ['use `reservjournal station init …`, `station trust …` or `station run …`'],
    });
  },
  snapshot: runSnapshot,
  pull: runPull,
  exporter: runExporter,
  import: runImport,
  status: runStatus,
  serve: runServe,
  sync: runSync,
  users: runUsers,
  access: runAccess,
  audit: runAudit,
  totp: runTotp,
  print: runPrint,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined)
      throw new ReservError('USAGE', { details: [`unknown command "${command}"`] });
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP);
      return 0;
    }
    return await run(rest, io);
  } catch (thrown) {
    const error = toReservError(thrown);
    io.stderr(`reservjournal: ${error.code}: ${error.message}\n`);
    for (const d of error.details) io.stderr(`  - ${d}\n`);
    io.stderr(`  Next step: ${error.hint}\n`);
    if (error.code === 'INTERNAL') {
      const log = createLogger({ level: 'error', sink: (line) => io.stderr(line + '\n') });
      log.error('cli.internal_error', { stack: stackFrames(thrown) });
    }
    return error.exitCode;
  }
}

export function runFromProcess(): void {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: process.stderr.isTTY === true,
    stopped,
    readSecret: (prompt) =>
      process.stdin.isTTY
        ? readHidden(process.stdin, process.stderr, prompt)
        : readFirstLine(process.stdin),
  };
  main(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    () => process.exit(70),
  );
}
