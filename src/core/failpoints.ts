/**
 * Named failpoints: places in a long operation where a test can make the process fail on
 * purpose (throw, exit, or be killed) to prove that no half-state survives. The core calls a
 * `Failpoint` it receives as a dependency; in production that function does nothing. The CLI
 * builds a real one from RESERVJOURNAL_FAILPOINTS, which only the test suite sets
 * (src/cli/failpoints.ts).
 */
export type Failpoint = (name: string) => void;

export const noFailpoints: Failpoint = () => {};
