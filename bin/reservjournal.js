#!/usr/bin/env node
// Entry of the `reservjournal` command: runs the TypeScript sources through tsx's loader, so the
// command works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/cli/main.ts');
runFromProcess();
