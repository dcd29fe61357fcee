/**
 * SMART Backend Services against the test server's token endpoint, which verifies the JWT
 * assertion (alg, kid, signature, iss/sub, aud, exp, jti) with the registered public key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { pullSource } from '../../src/source/pull.ts';
import { clientAssertion, loadSmartKey } from '../../src/source/smart-auth.ts';
import type { SourceAuth } from '../../src/source/source.ts';
import {
  startFhirServer,
  type Behaviour,
  type FhirTestServer,
} from '../../src/demo/fhir/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeData, testDeps } from './pull-helpers.ts';

const root = tempDir('smart');
let data: string;
let server: FhirTestServer | undefined;
let n = 0;
const keys: Record<string, { file: string; publicKey: KeyObject }> = {};

function keyFile(name: string, pair: { privateKey: KeyObject; publicKey: KeyObject }) {
  const file = path.join(root, `${name}.pem`);
  writeFileSync(file, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  keys[name] = { file, publicKey: pair.publicKey };
}

beforeAll(() => {
  data = makeData(path.join(root, 'data'), 4);
  keyFile('ec', generateKeyPairSync('ec', { namedCurve: 'P-384' }));
  keyFile('rsa', generateKeyPairSync('rsa', { modulusLength: 2048 }));
  keyFile('other', generateKeyPairSync('ec', { namedCurve: 'P-384' }));
  keyFile('p256', generateKeyPairSync('ec', { namedCurve: 'P-256' }));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(registered: 'ec' | 'rsa', behaviour: Behaviour = {}) {
  const deps = testDeps();
  server = await startFhirServer({
    dataDir: data,
    behaviour,
    smartClient: {
      clientId: 'reservjournal',
      kid: 'key-1',
      publicKey: keys[registered]!.publicKey,
    },
    nowS: () => deps.clock.now().getTime() / 1000,
  });
  return { s: server, deps };
}

function smart(
  key: string,
  extra: Partial<Extract<SourceAuth, { kind: 'smart-backend' }>> = {},
): SourceAuth {
  return {
    kind: 'smart-backend',
    clientId: 'reservjournal',
    privateKeyFile: keys[key]!.file,
    keyId: 'key-1',
    ...extra,
  };
}

const out = () => path.join(root, `out-${++n}`);

describe('SMART Backend Services', () => {
  it('gets a token with an ES384 assertion, discovering the token URL, and uses it', async () => {
    const { s, deps } = await setUp('ec');
    const result = await pullSource(
      { kind: 'bulk-export', base: s.base, types: ['Patient'], auth: smart('ec') },
      out(),
      deps,
    );
    expect(result.resources).toBe(4);
    expect(s.tokenRefusals).toEqual([]);
    expect(s.log.filter((r) => r.path.endsWith('/.well-known/smart-configuration'))).toHaveLength(
      1,
    );
    const kick = s.log.find((r) => r.path.endsWith('$export'))!;
    expect(kick.headers.authorization).toMatch(/^Bearer [0-9a-f-]{36}$/);
  });

  it('signs RS384 with an RSA key and uses a configured token URL without discovery', async () => {
    const { s, deps } = await setUp('rsa');
    await pullSource(
      {
        kind: 'rest-search',
        base: s.base,
        types: ['Patient'],
        auth: smart('rsa', { tokenUrl: s.tokenUrl }),
      },
      out(),
      deps,
    );
    expect(s.tokenRefusals).toEqual([]);
    expect(s.log.some((r) => r.path.includes('.well-known'))).toBe(false);
  });

  it('renews the token shortly before it expires during a long export, with a fresh jti', async () => {
    const { s, deps } = await setUp('ec', {
      tokenLifetimeS: 120,
      inProgressPolls: 3,
      retryAfter: '70',
    });
    await pullSource(
      { kind: 'bulk-export', base: s.base, types: ['Patient'], auth: smart('ec') },
      out(),
      deps,
    );
    // Kept until 60 s before expiry: polls at 0, 70, 140 and 210 s each need a new token.
    expect(s.log.filter((r) => r.path === '/auth/token')).toHaveLength(4);
    expect(s.tokenRefusals).toEqual([]);
  });

  it('asks for a new token once when the server stops accepting the one it has (401)', async () => {
    const { s, deps } = await setUp('ec', { inProgressPolls: 1, retryAfter: '5' });
    // The server forgets its tokens while the client waits between polls.
    const result = await pullSource(
      { kind: 'bulk-export', base: s.base, types: ['Patient'], auth: smart('ec') },
      out(),
      {
        ...deps,
        sleep: async (ms) => {
          s.revokeTokens();
          await deps.sleep?.(ms);
        },
      },
    );
    expect(result.resources).toBe(4);
    // A token lasts 300 s here, far beyond the 5 s wait: the second one is the renewal after
    // the 401, and there is no loop of renewals.
    expect(s.log.filter((r) => r.path === '/auth/token')).toHaveLength(2);
    expect(s.tokenRefusals).toEqual([]);
  });

  it('fails with SOURCE_AUTH_FAILED when signing with a key the server does not know', async () => {
    const { s, deps } = await setUp('ec');
    const error = (await pullSource(
      { kind: 'bulk-export', base: s.base, auth: smart('other') },
      out(),
      deps,
    ).catch((e: unknown) => e)) as ReservError;
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.details[0]).toMatch(/token request .*HTTP 400 \(invalid_client: bad signature\)/);
    expect(s.tokenRefusals).toEqual(['bad signature']);
    expect(s.log.some((r) => r.path.endsWith('$export'))).toBe(false);
  });

  it('writes the claims and header the specification asks for', () => {
    const signer = loadSmartKey(keys.ec!.file);
    const now = new Date('2026-11-27T05:00:00Z');
    const jwt = clientAssertion(
      { clientId: 'c1', keyId: 'k9' },
      'https://as.example/token',
      signer,
      now,
    );
    const [h, c] = jwt
      .split('.')
      .slice(0, 2)
      .map(
        (p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
      ) as [Record<string, unknown>, Record<string, unknown>];
    expect(h).toEqual({ alg: 'ES384', kid: 'k9', typ: 'JWT' });
    expect(c).toMatchObject({ iss: 'c1', sub: 'c1', aud: 'https://as.example/token' });
    expect(c.exp as number).toBeLessThanOrEqual(now.getTime() / 1000 + 300);
    expect(c.exp as number).toBeGreaterThan(now.getTime() / 1000);
    const again = clientAssertion(
      { clientId: 'c1', keyId: 'k9' },
      'https://as.example/token',
      signer,
      now,
    );
    expect(
      (JSON.parse(Buffer.from(again.split('.')[1]!, 'base64url').toString()) as { jti: string })
        .jti,
    ).not.toBe(c.jti);
    // ES384 signatures are raw r||s: 96 bytes for P-384.
    expect(Buffer.from(jwt.split('.')[2]!, 'base64url')).toHaveLength(96);
  });

  it('refuses a key that is neither RSA nor EC P-384', () => {
    expect(() => loadSmartKey(keys.p256!.file)).toThrow(
      expect.objectContaining({ code: 'KEY_UNREADABLE' }),
    );
  });
});
