/** Exporter-side commands: `keys exporter` and `snapshot build`. */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { buildSnapshot } from '../../snapshot/build.ts';
import {
  generateKeyPair,
  loadPrivateKey,
  loadPublicKey,
  writePrivateKey,
  writePublicKey,
} from '../../snapshot/keys.ts';
import { parse, requireOption } from '../args.ts';
import type { CliIo } from '../io.ts';

export function createExporterKeys(dir: string): string {
  const priv = path.join(dir, 'exporter.key');
  const pub = path.join(dir, 'exporter.pub');
  if (existsSync(priv) || existsSync(pub))
    throw new ReservError('KEY_EXISTS', { details: [`folder: ${dir}`] });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateKeyPair('ed25519');
  writePrivateKey(priv, pair.privatePem);
  writePublicKey(pub, pair.publicPem);
  return pair.keyId;
}

export function runKeys(args: string[], io: CliIo): number {
  const [kind, ...rest] = args;
  if (kind !== 'exporter')
    throw new ReservError('USAGE', { details: ['use `reservjournal keys exporter --out DIR`'] });
  const { values } = parse(rest, { out: { type: 'string' } });
  const dir = path.resolve(io.cwd, requireOption(values.out, '--out'));
  const keyId = createExporterKeys(dir);
  io.stdout(
    `Wrote ${path.join(dir, 'exporter.key')} (keep it secret) and exporter.pub; key id ${keyId}\n`,
  );
  return 0;
}

export async function runSnapshot(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'build')
    throw new ReservError('USAGE', { details: ['use `reservjournal snapshot build …`'] });
  const { values } = parse(rest, {
    source: { type: 'string' },
    sequence: { type: 'string' },
    'sign-key': { type: 'string' },
    recipient: { type: 'string', multiple: true },
    out: { type: 'string' },
    environment: { type: 'string' },
    target: { type: 'string', multiple: true },
  });
  const sequenceText = requireOption(values.sequence, '--sequence');
  if (!/^\d+$/.test(sequenceText))
    throw new ReservError('USAGE', { details: ['--sequence must be a whole number'] });
  const environment = values.environment ?? 'prod';
  if (environment !== 'prod' && environment !== 'test')
    throw new ReservError('USAGE', { details: ['--environment must be prod or test'] });
  const signKey = loadPrivateKey(
    path.resolve(io.cwd, requireOption(values['sign-key'], '--sign-key')),
    'ed25519',
  );
  const recipients = (values.recipient ?? []).map((f) =>
    loadPublicKey(path.resolve(io.cwd, f), 'x25519'),
  );
  const out = path.resolve(io.cwd, requireOption(values.out, '--out'));
  const result = await buildSnapshot({
    sourceDir: path.resolve(io.cwd, requireOption(values.source, '--source')),
    sequence: Number(sequenceText),
    signKey,
    signPublicKey: createPublicKey(signKey),
    recipients,
    outFile: out,
    environment,
    targets: values.target ?? [],
    clock: systemClock,
  });
  io.stdout(
    `Wrote snapshot ${result.manifest.snapshotId} (sequence ${result.manifest.sequence}, ${result.manifest.totals.resources} resources, ${result.bytes} bytes) to ${out}\n`,
  );
  return 0;
}
