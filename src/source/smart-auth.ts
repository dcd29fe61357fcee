/**
 * SMART Backend Services authorization: the client-credentials grant with a signed JWT
 * assertion, https://hl7.org/fhir/smart-app-launch/STU2/backend-services.html.
 *
 * The assertion (§ "Protocol details", "Authentication JWT") carries iss = sub = the client id,
 * aud = the token URL, a unique jti and an exp at most five minutes ahead; its header names the
 * registered key (kid). RSA keys sign RS384, EC P-384 keys ES384, both required of servers by the
 * spec; ECDSA signatures in a JWS are the raw r||s pair (RFC 7518 §3.4), hence 'ieee-p1363'.
 * The token URL comes from the config or from `[base]/.well-known/smart-configuration`
 * (SMART App Launch § "Conformance"). The access token is kept until shortly before it expires
 * and dropped when the server refuses it, so a long export outlives one token.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ReservError } from '../core/errors.ts';
import { op } from '../core/log.ts';
import { FhirHttp, where, type Credentials, type HttpDeps, type HttpOptions } from './http.ts';
import type { SourceAuth } from './source.ts';

type SmartAuth = Extract<SourceAuth, { kind: 'smart-backend' }>;

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
// Under the spec's five-minute limit, leaving room for our clock running ahead of the server's.
const ASSERTION_LIFETIME_S = 240;
const DEFAULT_SCOPE = 'system/*.read';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function loadSmartKey(file: string): { key: KeyObject; alg: 'RS384' | 'ES384' } {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (cause) {
    throw new ReservError('KEY_UNREADABLE', {
      details: [`SMART private key ${file}: not a readable PEM private key`],
      cause,
    });
  }
  if (key.asymmetricKeyType === 'rsa') return { key, alg: 'RS384' };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1')
    return { key, alg: 'ES384' };
  throw new ReservError('KEY_UNREADABLE', {
    details: [`SMART private key ${file}: must be RSA (RS384) or EC P-384 (ES384)`],
  });
}

/** The signed client assertion (compact JWS). */
export function clientAssertion(
  auth: Pick<SmartAuth, 'clientId' | 'keyId'>,
  tokenUrl: string,
  signer: { key: KeyObject; alg: 'RS384' | 'ES384' },
  now: Date,
): string {
  const header = { alg: signer.alg, kid: auth.keyId, typ: 'JWT' };
  const seconds = Math.floor(now.getTime() / 1000);
  const claims = {
    iss: auth.clientId,
    sub: auth.clientId,
    aud: tokenUrl,
    exp: seconds + ASSERTION_LIFETIME_S,
    jti: randomUUID(),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign(
    'sha384',
    Buffer.from(input),
    signer.alg === 'ES384' ? { key: signer.key, dsaEncoding: 'ieee-p1363' } : signer.key,
  );
  return `${input}.${b64url(signature)}`;
}

function checkEndpoint(value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
      if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.href;
    } catch {
      // fall through
    }
  }
  throw new ReservError('SOURCE_RESPONSE_INVALID', {
    details: ['.well-known/smart-configuration has no usable https token_endpoint'],
  });
}

/** Credentials for FhirHttp that fetch and cache SMART access tokens. */
export function smartCredentials(
  auth: SmartAuth,
  base: string,
  deps: HttpDeps,
  httpOptions: Partial<HttpOptions> = {},
): Credentials {
  const signer = loadSmartKey(auth.privateKeyFile);
  // The token and discovery requests themselves carry no credentials.
  const http = new FhirHttp(deps, { ...httpOptions, credentials: undefined });
  let tokenUrl = auth.tokenUrl;
  let cached: { value: string; until: number } | undefined;

  const fetchToken = async (): Promise<{ value: string; until: number }> => {
    if (tokenUrl === undefined) {
      const { body } = await http.json(`${base}/.well-known/smart-configuration`, {
        headers: { Accept: 'application/json' },
      });
      tokenUrl = checkEndpoint((body as { token_endpoint?: unknown } | null)?.token_endpoint);
    }
    const now = deps.clock.now();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: auth.scope ?? DEFAULT_SCOPE,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: clientAssertion(auth, tokenUrl, signer, now),
    });
    const { status, body } = await http.json(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      // RFC 6749 §5.2: a refused client gets 400 (or 401) with an `error` code.
      accept: [400, 401, 403],
    });
    const answer = (body ?? {}) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (status !== 200 || typeof answer.access_token !== 'string' || answer.access_token === '') {
      const said = [answer.error, answer.error_description]
        .filter((x): x is string => typeof x === 'string')
        .join(': ')
        .slice(0, 300);
      throw new ReservError('SOURCE_AUTH_FAILED', {
        details: [`token request to ${where(tokenUrl)}: HTTP ${status}${said ? ` (${said})` : ''}`],
      });
    }
    const lifetime =
      typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 300;
    // Renew a minute early (or halfway for short tokens) so no request leaves with a token that
    // expires on the way.
    const margin = Math.min(60, lifetime / 2);
    deps.log.info('source.smart.token', { expiresInS: lifetime, endpoint: op(where(tokenUrl)) });
    return { value: answer.access_token, until: now.getTime() + (lifetime - margin) * 1000 };
  };

  return {
    async authorization() {
      if (cached === undefined || deps.clock.now().getTime() >= cached.until)
        cached = await fetchToken();
      return `Bearer ${cached.value}`;
    },
    refresh() {
      cached = undefined;
      return true;
    },
  };
}
