/**
 * HTTP to a FHIR server, with the failure handling every source shares.
 *
 * - Every attempt has a time limit (`timeoutMs`): for answers read whole, from sending the
 *   request to the last byte of the body; for streamed downloads, until the headers arrive, after
 *   which the caller keeps the watchdog alive per chunk (an idle limit, since a large file may
 *   rightly take longer than any fixed limit).
 * - Network errors, time-outs, 5xx and 429 are retried a bounded number of times with
 *   exponential back-off; `Retry-After` (seconds or an HTTP-date, RFC 9110 §10.2.3) replaces the
 *   back-off when given, capped so a confused server cannot stall a run for days. No jitter: one
 *   exporter talks to one server, there is no herd to spread out, and fixed waits can be checked.
 * - A 5xx whose body is an OperationOutcome with no transient issue code is final and not
 *   retried (Bulk Data IG: servers signal retryable failures with a transient code,
 *   https://hl7.org/fhir/uv/bulkdata/STU2/export.html#response---error-status-1).
 * - 401/403 is SOURCE_AUTH_FAILED, after one fresh token when the credentials can refresh
 *   (SMART tokens may expire between requests).
 * Waiting goes through `deps.sleep`, so tests record waits instead of sitting them out.
 */
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import { finalOutcome, outcomeLinesOf } from './outcomes.ts';

export interface HttpDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** Supplies the Authorization header; `refresh` drops a cached token, false if it cannot. */
export interface Credentials {
  authorization(): Promise<string | undefined>;
  refresh(): boolean;
}

export interface HttpOptions {
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  /** Cap on one wait, back-off or Retry-After alike. */
  readonly maxDelayMs: number;
  readonly credentials?: Credentials;
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'credentials'> = {
  timeoutMs: 60_000,
  attempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 120_000,
};

export interface RequestInit {
  readonly method?: 'GET' | 'DELETE' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Send the credentials (default true); Bulk Data files only when `requiresAccessToken`. */
  readonly auth?: boolean;
  /** Statuses the caller handles itself instead of the retry and auth rules. */
  readonly accept?: readonly number[];
}

/** Restarts its timer on every kick; aborts the request when the timer runs out. */
export class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  readonly controller = new AbortController();

  constructor(private readonly ms: number) {
    this.kick();
  }

  kick(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error('timed out')), this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Milliseconds to wait from a Retry-After value, or undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** A URL for errors and logs: no query string (it may carry `_since` or a patient filter). */
export function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export class FhirHttp {
  readonly options: HttpOptions;

  constructor(
    private readonly deps: HttpDeps,
    options: Partial<HttpOptions> = {},
  ) {
    this.options = { ...DEFAULT_HTTP, ...options };
  }

  backoff(attempt: number): number {
    return Math.min(this.options.baseDelayMs * 2 ** (attempt - 1), this.options.maxDelayMs);
  }

  /** Wait, capped; an exporter shutting down stops waiting. */
  async wait(ms: number): Promise<void> {
    this.deps.signal?.throwIfAborted();
    await this.deps.sleep(Math.min(ms, this.options.maxDelayMs));
    this.deps.signal?.throwIfAborted();
  }

  /**
   * Send with retries; returns the response with its body unread and the watchdog still
   * running (the caller reads the body, kicking or stopping the watchdog).
   */
  async send(url: string, init: RequestInit = {}): Promise<{ res: Response; watchdog: Watchdog }> {
    const method = init.method ?? 'GET';
    const label = `${method} ${where(url)}`;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.auth !== false && this.options.credentials) {
        const value = await this.options.credentials.authorization();
        if (value !== undefined) headers.Authorization = value;
      }
      const watchdog = new Watchdog(this.options.timeoutMs);
      const signals = [watchdog.controller.signal, ...(this.deps.signal ? [this.deps.signal] : [])];
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          ...(init.body !== undefined && { body: init.body }),
          redirect: 'follow',
          signal: AbortSignal.any(signals),
        });
      } catch (cause) {
        watchdog.stop();
        this.deps.signal?.throwIfAborted();
        const reason = watchdog.controller.signal.aborted ? 'no answer in time' : 'network error';
        if (attempt < this.options.attempts) {
          const ms = this.backoff(attempt);
          this.deps.log.warn('source.http.retry', {
            request: op(label),
            reason: op(reason),
            attempt,
            waitMs: ms,
          });
          await this.wait(ms);
          continue;
        }
        throw new ReservError('SOURCE_UNREACHABLE', {
          details: [`${label}: ${reason} after ${attempt} attempts`],
          cause,
        });
      }
      const status = res.status;
      if (init.accept?.includes(status)) return { res, watchdog };
      if (status === 401 || status === 403) {
        await discard(res, watchdog);
        if (!refreshed && this.options.credentials?.refresh()) {
          refreshed = true;
          attempt--;
          continue;
        }
        throw new ReservError('SOURCE_AUTH_FAILED', { details: [`${label}: HTTP ${status}`] });
      }
      if (status === 429 || status >= 500) {
        const text = await readText(res, watchdog).catch(() => '');
        const final = status >= 500 ? finalOutcome(text) : undefined;
        if (final !== undefined)
          throw new ReservError('SOURCE_EXPORT_FAILED', {
            details: [`${label}: HTTP ${status}`, ...final],
          });
        if (attempt < this.options.attempts) {
          const ms =
            retryAfterMs(res.headers.get('retry-after'), this.deps.clock.now()) ??
            this.backoff(attempt);
          this.deps.log.warn('source.http.retry', {
            request: op(label),
            status,
            attempt,
            waitMs: Math.min(ms, this.options.maxDelayMs),
          });
          await this.wait(ms);
          continue;
        }
        throw new ReservError('SOURCE_EXPORT_FAILED', {
          details: [
            `${label}: HTTP ${status} ${status === 429 ? '(server busy)' : '(server error)'} after ${attempt} attempts`,
            ...outcomeLinesOf(text),
          ],
        });
      }
      return { res, watchdog };
    }
  }

  /** Send and read the whole body as text (within the time limit of one attempt). */
  async text(
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const { res, watchdog } = await this.send(url, init);
    try {
      return { status: res.status, headers: res.headers, text: await readText(res, watchdog) };
    } catch (cause) {
      this.deps.signal?.throwIfAborted();
      throw new ReservError('SOURCE_UNREACHABLE', {
        details: [`${init.method ?? 'GET'} ${where(url)}: answer cut off or too slow`],
        cause,
      });
    }
  }

  /** Send and read a JSON body (FHIR JSON unless the caller asks for another type). */
  async json(
    url: string,
    init: RequestInit = {},
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const { status, headers, text } = await this.text(url, {
      ...init,
      headers: { Accept: 'application/fhir+json', ...init.headers },
    });
    return { status, headers, body: parseJsonAnswer(text, status, headers, url, init.method) };
  }
}

export function parseJsonAnswer(
  text: string,
  status: number,
  headers: Headers,
  url: string,
  method = 'GET',
): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ReservError('SOURCE_RESPONSE_INVALID', {
      details: [
        `${method} ${where(url)}: HTTP ${status} answer is not JSON (${headers.get('content-type')?.slice(0, 60) ?? 'no content type'})`,
      ],
      cause,
    });
  }
}

export async function readText(res: Response, watchdog: Watchdog): Promise<string> {
  try {
    return await res.text();
  } finally {
    watchdog.stop();
  }
}

export async function discard(res: Response, watchdog: Watchdog): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // nothing to keep
  } finally {
    watchdog.stop();
  }
}
