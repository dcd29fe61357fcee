/**
 * Security defaults applied to every response and request of the station.
 *
 * - The station serves only loopback host names: a page on another site that resolves its own
 *   name to 127.0.0.1 (DNS rebinding) is refused by the Host check.
 * - Every POST must come from the station's own pages (Origin / Sec-Fetch-Site).
 * - Response headers, each for one reason, listed in SECURITY_HEADERS.
 */
import type { MiddlewareHandler } from 'hono';
import { ReservError } from '../core/errors.ts';

/**
 * Only our own stylesheet and images; scripts only when they carry this response's nonce (there
 * is no inline script and no other origin); no frames, no plug-ins, forms only to ourselves.
 */
export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** Headers set on every response (the CSP is set per response, with its nonce). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Browsers must not guess content types (an uploaded text must never become HTML).
  'X-Content-Type-Options': 'nosniff',
  // Links out of the station must not carry our URLs.
  'Referrer-Policy': 'no-referrer',
  // Older browsers without frame-ancestors.
  'X-Frame-Options': 'DENY',
  // Patient data must not stay in any cache: the Back button after sign-out shows nothing.
  'Cache-Control': 'no-store',
  // No other window may script us; our resources are not embeddable elsewhere.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // The station needs no camera, microphone or location.
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
};

export const hostCheck: MiddlewareHandler = async (c, next) => {
  const host = c.req.header('host') ?? '';
  if (!LOOPBACK_HOSTS.has(hostName(host))) throw new ReservError('HOST_REJECTED');
  await next();
};

export const originCheck: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST') {
    // Browsers send Sec-Fetch-Site on every request; it is the reliable signal. Origin is a
    // fallback for clients without it: with `Referrer-Policy: no-referrer` a browser sends
    // `Origin: null` even for our own forms, so "null" counts only when Sec-Fetch-Site vouches.
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (site !== undefined) {
      if (site !== 'same-origin' && site !== 'none') throw new ReservError('FORBIDDEN_ORIGIN');
    } else if (origin !== undefined && origin !== `http://${c.req.header('host') ?? ''}`) {
      throw new ReservError('FORBIDDEN_ORIGIN');
    }
    if (site !== undefined && origin !== undefined && origin !== 'null') {
      if (origin !== `http://${c.req.header('host') ?? ''}`)
        throw new ReservError('FORBIDDEN_ORIGIN');
    }
  }
  await next();
};
