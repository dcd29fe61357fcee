/**
 * The inbox server refuses what it must, with stable statuses, and stores nothing it refused: a
 * tampered body or a wrong key (403), a path or station it does not serve, an unsigned request,
 * other bytes under an existing name (409), a checkpoint that is not the chunk's signed head
 * (422), an older status report (409) and a body over the cap (413). An identical repeat is 200.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureAuditSigningKey } from '../../src/audit/checkpoint.ts';
import { startInbox } from '../../src/exporter/inbox.ts';
import { deliverAudit } from '../../src/link/audit-delivery.ts';
import { signRequest, type StationReport } from '../../src/link/inbox-format.ts';
import { generateKeyPair, keyIdOf } from '../../src/snapshot/keys.ts';
import { deliveryFixture } from './delivery-fixture.ts';

const f = deliveryFixture('inbox');
const { inboxDir, deps, files } = f;

beforeAll(async () => {
  f.logSignIns(30);
  await deliverAudit(f.station, f.configWith(f.inbox.url), deps);
});

async function put(
  relative: string,
  body: Buffer,
  headers: Record<string, string>,
  method = 'PUT',
) {
  const res = await fetch(`${f.inbox.url}/${relative}`, {
    method,
    body: method === 'GET' ? null : body,
    headers,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the inbox server', () => {
  const key = () => ({ privateKey: ensureAuditSigningKey(f.station.paths).privateKey, keyId: 'k' });
  const name = 'alpha/audit/000000000001-000000000030.ndjson';
  const stored = () => readFileSync(path.join(inboxDir, name));

  it('takes an identical repeat with 200 and refuses other bytes under the same name with 409', async () => {
    const body = stored();
    expect(await put(name, body, signRequest('PUT', name, body, key()))).toBe(200);
    const other = Buffer.concat([body, Buffer.from('{}\n')]);
    expect(await put(name, other, signRequest('PUT', name, other, key()))).toBe(409);
    expect(stored().equals(body)).toBe(true);
  });

  it('refuses a tampered body or a wrong key with 403 and stores nothing', async () => {
    const fresh = 'alpha/audit/000000009001-000000009002.ndjson';
    const body = Buffer.from('{"resourceType":"AuditEvent","id":"audit-9001"}\n');
    const tampered = Buffer.from(body.toString().replace('9001', '9009'));
    expect(await put(fresh, tampered, signRequest('PUT', fresh, body, key()))).toBe(403);
    const stranger = generateKeyPair('ed25519');
    const wrongKey = { privateKey: createPrivateKey(stranger.privatePem), keyId: 'x' };
    expect(await put(fresh, body, signRequest('PUT', fresh, body, wrongKey))).toBe(403);
    // Signed for one path, sent to another (another station's, or another file name).
    const moved = 'alpha/audit/000000009001-000000009003.ndjson';
    expect(await put(moved, body, signRequest('PUT', fresh, body, key()))).toBe(403);
    expect(
      await put(
        'beta/audit/000000000001-000000000001.ndjson',
        body,
        signRequest('PUT', 'beta/audit/000000000001-000000000001.ndjson', body, key()),
      ),
    ).toBe(403);
    expect(await put(fresh, body, {})).toBe(401);
    expect(
      await put(
        'alpha/../etc/passwd',
        body,
        signRequest('PUT', 'alpha/../etc/passwd', body, key()),
      ),
    ).toBe(404);
    expect(await put(fresh, body, {}, 'GET')).toBe(405);
    expect(existsSync(path.join(inboxDir, fresh))).toBe(false);
    expect(existsSync(path.join(inboxDir, 'beta'))).toBe(false);
    // No temporary file is left behind either.
    expect(files().filter((f) => f.startsWith('.'))).toEqual([]);
    expect(keyIdOf(createPublicKey(f.auditPem))).toBe(ensureAuditSigningKey(f.station.paths).keyId);
  });

  it('refuses a checkpoint that is not the signed head of its chunk, an older status report, and a body over the cap', async () => {
    const cpName = 'alpha/audit/000000009001-000000009002.checkpoint.json';
    const wrong = readFileSync(
      path.join(inboxDir, 'alpha/audit/000000000001-000000000030.checkpoint.json'),
    );
    expect(await put(cpName, wrong, signRequest('PUT', cpName, wrong, key()))).toBe(422);
    const held = JSON.parse(
      readFileSync(path.join(inboxDir, 'alpha/status.json'), 'utf8'),
    ) as StationReport;
    const older = Buffer.from(JSON.stringify({ ...held, at: '2020-01-01T00:00:00.000Z' }));
    expect(
      await put('alpha/status.json', older, signRequest('PUT', 'alpha/status.json', older, key())),
    ).toBe(409);
    const small = await startInbox(
      {
        host: '127.0.0.1',
        port: 0,
        dir: inboxDir,
        maxBodyBytes: 100,
        stations: [{ name: 'alpha', auditPublicKeyPem: f.auditPem }],
      },
      deps,
    );
    try {
      const big = Buffer.alloc(1000, 0x41);
      const bigName = 'alpha/audit/000000009101-000000009102.ndjson';
      const res = await fetch(`${small.url}/${bigName}`, {
        method: 'PUT',
        body: big,
        headers: signRequest('PUT', bigName, big, key()),
      });
      expect(res.status).toBe(413);
      expect(existsSync(path.join(inboxDir, bigName))).toBe(false);
    } finally {
      await small.close();
    }
  });
});
