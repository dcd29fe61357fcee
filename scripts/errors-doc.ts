/**
 * Rewrites the table in docs/errors.md from src/core/errors.ts: `npm run docs:errors`.
 * test/errors-doc.test.ts fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS } from '../src/core/errors.ts';

const file = new URL('../docs/errors.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const head = text.slice(0, text.indexOf('| Code | Exit |'));
const rows = Object.entries(ERRORS).map(
  ([code, e]) =>
    `| \`${code}\` | ${e.exitCode} | ${e.httpStatus} | ${e.message} | ${e.hint.replace(/\|/g, '\\|')} |`,
);
writeFileSync(
  file,
  `${head}| Code | Exit | HTTP | Message | Next step |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`,
);
