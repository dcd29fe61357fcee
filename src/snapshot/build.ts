/**
 * Building a snapshot on the exporter side: a Bulk Data folder in, one signed, encrypted file out.
 *
 * Each NDJSON file is checked line by line (one resource type per file, valid ids), compressed in
 * blocks of whole lines (payload-blocks.ts) and encrypted in one streaming pass into a temporary payload file; then the manifest is written,
 * signed, and the snapshot is assembled next to its destination and renamed into place, so a
 * half-written snapshot is never visible under its final name.
 */
import { createHash, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import { lineFailure, LineSplitter } from '../core/lines.ts';
import { readBulkManifest } from '../source/bulk-folder.ts';
import { ENCRYPTION_ALG, fileCipher, wrapContentKey } from './envelope.ts';
import {
  canonicalJson,
  encodeHeader,
  FORMAT,
  FORMAT_VERSION,
  payloadFileName,
  SIGNING_CONTEXT,
  type Environment,
  type PayloadFile,
  type SnapshotManifest,
} from './format.ts';
import { keyIdOf } from './keys.ts';
import { blockWriter } from './payload-blocks.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export interface BuildOptions {
  readonly sourceDir: string;
  readonly sequence: number;
  readonly signKey: KeyObject;
  readonly signPublicKey: KeyObject;
  readonly recipients: readonly KeyObject[];
  readonly outFile: string;
  readonly environment?: Environment;
  readonly targets?: readonly string[];
  readonly clock: Clock;
  /**
   * Check every source line (JSON object of the file's type with a valid id). On by default;
   * tests turn it off to build hostile snapshots that only the station's own checks can catch.
   */
  readonly checkSource?: boolean;
}

export interface BuildResult {
  readonly manifest: SnapshotManifest;
  readonly bytes: number;
}

function sourceError(file: string, line: number, what: string): ReservError {
  return new ReservError('SOURCE_FILE_INVALID', { details: [`${file} line ${line}: ${what}`] });
}

export async function buildSnapshot(options: BuildOptions): Promise<BuildResult> {
  if (!Number.isSafeInteger(options.sequence) || options.sequence < 1)
    throw new ReservError('USAGE', {
      details: ['--sequence must be a whole number of at least 1'],
    });
  if (options.recipients.length === 0)
    throw new ReservError('USAGE', { details: ['at least one --recipient station key is needed'] });
  const source = readBulkManifest(options.sourceDir);
  if (source.output.length === 0)
    throw new ReservError('SOURCE_MANIFEST_INVALID', {
      details: [
        'the export has no files: a snapshot needs at least one (stations refuse empty ones)',
      ],
    });
  const snapshotId = randomUUID();
  const contentKey = randomBytes(32);
  const payloadTmp = `${options.outFile}.payload.tmp`;
  const outTmp = `${options.outFile}.tmp`;
  rmSync(payloadTmp, { force: true });
  const files: PayloadFile[] = [];
  const personCountsByUnit: Record<string, number> = {};
  let offset = 0;
  try {
    for (const out of [...source.output].sort((a, b) => (a.type < b.type ? -1 : 1))) {
      const name = payloadFileName(out.type, 'deflate-blocks');
      const nonce = randomBytes(12);
      const cipher = fileCipher(contentKey, nonce, snapshotId, name);
      const hash = createHash('sha256');
      let count = 0;
      let plainSize = 0;
      let size = 0;
      const checkSource = options.checkSource ?? true;
      // Without source checks (hostile test snapshots) lines are only counted, the way the
      // station counts them, and decoded leniently, so bytes that are not UTF-8 reach the
      // station unchanged.
      const counter = new LineSplitter(
        MAX_LINE_CHARS,
        (line) => {
          if (line.trim() !== '') count++;
        },
        { lenient: true },
      );
      const splitter = new LineSplitter(MAX_LINE_CHARS, (line, lineNo) => {
        if (line.trim() === '') return;
        let json: {
          resourceType?: unknown;
          id?: unknown;
          managingOrganization?: { reference?: unknown };
        };
        try {
          json = JSON.parse(line) as typeof json;
        } catch {
          throw sourceError(out.url, lineNo, 'not valid JSON');
        }
        if (json?.resourceType !== out.type)
          throw sourceError(out.url, lineNo, `not a ${out.type} resource`);
        if (typeof json.id !== 'string' || !FHIR_ID.test(json.id))
          throw sourceError(out.url, lineNo, 'missing or invalid id');
        if (out.type === 'Patient') {
          const ref = json.managingOrganization?.reference;
          const unit =
            typeof ref === 'string' && ref.startsWith('Organization/') ? ref.slice(13) : '(none)';
          personCountsByUnit[unit] = (personCountsByUnit[unit] ?? 0) + 1;
        }
        count++;
      });
      const checker = new Transform({
        transform(chunk: Buffer, _enc, done) {
          try {
            (checkSource ? splitter : counter).push(chunk);
            plainSize += chunk.length;
            done(null, chunk);
          } catch (e) {
            done(lineFailure(e, out.url, 'SOURCE_FILE_INVALID'));
          }
        },
        flush(done) {
          try {
            (checkSource ? splitter : counter).end();
            done();
          } catch (e) {
            done(lineFailure(e, out.url, 'SOURCE_FILE_INVALID'));
          }
        },
      });
      const hashing = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(
        createReadStream(path.join(options.sourceDir, out.url)),
        checker,
        blockWriter(),
        cipher,
        hashing,
        createWriteStream(payloadTmp, { flags: 'a' }),
      );
      const tag = cipher.getAuthTag();
      appendFileSync(payloadTmp, tag);
      hash.update(tag);
      size += tag.length;
      if (out.count !== undefined && out.count !== count)
        throw new ReservError('SOURCE_FILE_INVALID', {
          details: [`${out.url}: manifest says ${out.count} resources, file has ${count}`],
        });
      files.push({
        name,
        type: out.type,
        offset,
        size,
        sha256: hash.digest('hex'),
        plainSize,
        count,
        nonce: nonce.toString('base64'),
      });
      offset += size;
    }
    const manifest: SnapshotManifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      snapshotId,
      sequence: options.sequence,
      createdAt: options.clock.now().toISOString(),
      transactionTime: new Date(source.transactionTime).toISOString(),
      environment: options.environment ?? 'prod',
      targets: [...(options.targets ?? [])],
      units: [],
      signer: keyIdOf(options.signPublicKey),
      encryption: {
        alg: ENCRYPTION_ALG,
        compression: 'deflate-blocks',
        recipients: options.recipients.map((r) => wrapContentKey(contentKey, r, snapshotId)),
      },
      files,
      personCountsByUnit,
      totals: {
        resources: files.reduce((n, f) => n + f.count, 0),
        payloadBytes: offset,
        plainBytes: files.reduce((n, f) => n + f.plainSize, 0),
      },
    };
    const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
    const signature = sign(null, Buffer.concat([SIGNING_CONTEXT, manifestBytes]), options.signKey);
    const fd = openSync(outTmp, 'w');
    try {
      writeSync(fd, encodeHeader(manifestBytes, signature));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (offset > 0)
      await pipeline(createReadStream(payloadTmp), createWriteStream(outTmp, { flags: 'a' }));
    const check = openSync(outTmp, 'r+');
    fsyncSync(check);
    closeSync(check);
    renameSync(outTmp, options.outFile);
    return { manifest, bytes: encodeHeader(manifestBytes, signature).length + offset };
  } finally {
    rmSync(payloadTmp, { force: true });
    rmSync(outTmp, { force: true });
  }
}
