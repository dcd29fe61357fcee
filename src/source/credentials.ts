/**
 * Turns a spec's SourceAuth into Credentials for FhirHttp. Secrets are read at pull time, never
 * stored in a spec: a bearer token from its file (so a rotated token file is picked up by the next
 * run) or from a named environment variable; a SMART client signs with its private key file.
 */
import { readFileSync } from 'node:fs';
import { ReservError } from '../core/errors.ts';
import type { Credentials, HttpDeps, HttpOptions } from './http.ts';
import { smartCredentials } from './smart-auth.ts';
import type { SourceAuth } from './source.ts';

function bearerToken(
  auth: Extract<SourceAuth, { kind: 'bearer' }>,
  env: Readonly<Record<string, string | undefined>>,
): string {
  let token: string | undefined;
  if (auth.tokenFile !== undefined) {
    try {
      token = readFileSync(auth.tokenFile, 'utf8').trim();
    } catch (cause) {
      throw new ReservError('SOURCE_AUTH_FAILED', {
        details: [`the token file ${auth.tokenFile} cannot be read`],
        cause,
      });
    }
  } else if (auth.tokenEnv !== undefined) token = env[auth.tokenEnv]?.trim();
  if (!token)
    throw new ReservError('SOURCE_AUTH_FAILED', {
      details: [
        auth.tokenFile !== undefined
          ? `the token file ${auth.tokenFile} is empty`
          : `the environment variable ${auth.tokenEnv ?? '(none)'} holding the token is empty or not set`,
      ],
    });
  // A token with a line break or control character would split or corrupt the header.
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ReservError('SOURCE_AUTH_FAILED', {
      details: ['the bearer token holds spaces or characters a header cannot carry'],
    });
  return token;
}

export function credentialsFor(
  auth: SourceAuth | undefined,
  base: string,
  deps: HttpDeps & { env?: Readonly<Record<string, string | undefined>> },
  httpOptions: Partial<HttpOptions> = {},
): Credentials | undefined {
  if (auth === undefined || auth.kind === 'none') return undefined;
  if (auth.kind === 'bearer') {
    const header = `Bearer ${bearerToken(auth, deps.env ?? {})}`;
    // A static token cannot be refreshed: a refusal is final.
    return { authorization: () => Promise.resolve(header), refresh: () => false };
  }
  return smartCredentials(auth, base, deps, httpOptions);
}
