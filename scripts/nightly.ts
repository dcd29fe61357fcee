/**
 * The nightly run: the same snapshot tests with the nightly counts (10,000 bit flips for S1,
 * 10,000 random kills for A2). `npm run test:nightly`; takes hours on a two-core machine.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/snapshot', 'test/fuzz', '--testTimeout=0'],
  {
    stdio: 'inherit',
    env: { ...process.env, RESERVJOURNAL_NIGHTLY: '1' },
  },
);
process.exitCode = result.status ?? 1;
