/**
 * The test FHIR server's side of SMART Backend Services
 * (https://hl7.org/fhir/smart-app-launch/STU2/backend-services.html § "Signature Verification"):
 * checks a client assertion the way an authorization server must: a registered client and key
 * id, the algorithm of that key (RS384 or ES384), a valid signature, iss = sub = client id,
 * aud = the token URL, an exp in the future but at most five minutes away, and a jti not seen
 * before. Returns the reason for a refusal, so tests can tell which rule caught it.
 */
import { randomUUID, verify, type KeyObject } from 'node:crypto';

export interface RegisteredClient {
  readonly clientId: string;
  readonly kid: string;
  readonly publicKey: KeyObject;
}

export function verifyAssertion(
  jwt: string,
  ctx: { client: RegisteredClient; tokenUrl: string; nowS: number; seenJti: Set<string> },
): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'not a compact JWS';
  const [h, c, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown; jti?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString()) as typeof header;
    claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as typeof claims;
  } catch {
    return 'unreadable header or claims';
  }
  const { client } = ctx;
  const expectedAlg = client.publicKey.asymmetricKeyType === 'ec' ? 'ES384' : 'RS384';
  if (header.alg !== expectedAlg) return `alg ${String(header.alg)} is not ${expectedAlg}`;
  if (header.kid !== client.kid) return 'unknown kid';
  const signature = Buffer.from(s, 'base64url');
  const key =
    expectedAlg === 'ES384'
      ? { key: client.publicKey, dsaEncoding: 'ieee-p1363' as const }
      : client.publicKey;
  if (!verify('sha384', Buffer.from(`${h}.${c}`), key, signature)) return 'bad signature';
  if (claims.iss !== client.clientId || claims.sub !== client.clientId) return 'iss/sub';
  if (claims.aud !== ctx.tokenUrl) return 'aud';
  if (typeof claims.exp !== 'number' || claims.exp <= ctx.nowS || claims.exp > ctx.nowS + 300)
    return 'exp';
  if (typeof claims.jti !== 'string' || ctx.seenJti.has(claims.jti)) return 'jti reused';
  ctx.seenJti.add(claims.jti);
  return undefined;
}

/** The token endpoint's answer to a client-credentials request (RFC 6749 §4.4, §5.2). */
export function tokenAnswer(
  form: URLSearchParams,
  ctx: {
    client?: RegisteredClient;
    tokenUrl: string;
    nowS: number;
    seenJti: Set<string>;
    lifetimeS: number;
  },
): { status: number; body: string } & ({ token: string } | { refused: string }) {
  const refuse = (why: string) => ({
    status: 400,
    body: JSON.stringify({ error: 'invalid_client', error_description: why }),
    refused: why,
  });
  if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type');
  if (
    form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
  )
    return refuse('client_assertion_type');
  if (!ctx.client) return refuse('no client registered');
  const why = verifyAssertion(form.get('client_assertion') ?? '', { ...ctx, client: ctx.client });
  if (why !== undefined) return refuse(why);
  const token = randomUUID();
  return {
    status: 200,
    token,
    body: JSON.stringify({
      access_token: token,
      token_type: 'bearer',
      expires_in: ctx.lifetimeS,
      scope: form.get('scope'),
    }),
  };
}
