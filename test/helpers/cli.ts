/** Running the real `reservjournal` binary as a child process, as a user would. */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/reservjournal.js', import.meta.url));

// Servers started by a test that failed before stopping them must not outlive the test run.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

type SpawnOptions = {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the command's standard input (passwords), which is then closed. */
  input?: string;
};

/** The real binary with piped output, in the test's own environment plus `env`. */
function spawnCli(args: string[], options: SpawnOptions): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.input === undefined ? ['ignore', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    // stdin is absent ('ignore') unless there is input; stdout and stderr are always piped.
  }) as ChildProcessWithoutNullStreams;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    if (options.input !== undefined) child.stdin.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly url: string;
  output(): { stdout: string; stderr: string };
  stop(): Promise<number | null>;
}

/** Start a serving command and wait until it prints its URL. */
export function startCli(
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    if (options.input !== undefined) child.stdin.end(options.input);
    let stdout = '';
    let stderr = '';
    running.add(child);
    const exited = new Promise<number | null>((r) =>
      child.on('close', (code) => {
        running.delete(child);
        r(code);
      }),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within the time limit; stderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          output: () => ({ stdout, stderr }),
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
}
