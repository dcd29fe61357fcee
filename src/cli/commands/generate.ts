/** `reservjournal generate`: write a synthetic Bulk Data export. */
import path from 'node:path';
import { generate } from '../../generate/generate.ts';
import { intOption, parse, requireOption } from '../args.ts';
import type { CliIo } from '../io.ts';

export function runGenerate(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    people: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'as-of': { type: 'string' },
    force: { type: 'boolean' },
  });
  const people = intOption(requireOption(values.people, '--people'), '--people', 0);
  const seed = requireOption(values.seed, '--seed');
  const outDir = path.resolve(io.cwd, requireOption(values.out, '--out'));
  const result = generate({
    people,
    seed,
    outDir,
    ...(values['as-of'] !== undefined ? { asOf: values['as-of'] } : {}),
    force: values.force ?? false,
    ...(io.interactive
      ? { onProgress: (done: number, total: number) => io.stderr(`\r${done}/${total} people`) }
      : {}),
  });
  if (io.interactive) io.stderr('\n');
  io.stdout(
    `Wrote ${result.resources} resources for ${people} people to ${outDir} (transactionTime ${result.manifest.transactionTime}).\n`,
  );
  return 0;
}
