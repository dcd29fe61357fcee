/**
 * What a command gets from the outside world. Commands never read process.* themselves, so tests
 * can run them with their own working directory, environment and output.
 */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
  /** Resolves when the process is asked to stop (Ctrl-C, service stop). */
  readonly stopped: Promise<void>;
  /**
   * Read one secret line from standard input (a password): without echo on a terminal, the
   * first line of piped input otherwise. Secrets never come from the command line, where other
   * users of the machine can read them.
   */
  readonly readSecret: (prompt: string) => Promise<string>;
}
