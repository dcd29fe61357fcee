/**
 * Alerts: a missed refresh must be loud. An alert runs a configured command (with the alert as
 * JSON on its standard input and in RESERVJOURNAL_ALERT_* variables) and/or POSTs the same JSON
 * to a webhook. Sending never throws: a broken alert hook is logged and must not stop an export
 * or a sync, and the same condition is alerted again at the next check.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../core/log.ts';
import { op } from '../core/log.ts';

export type AlertKind =
  /** A station has accepted nothing for longer than allowed (seen on the station, or by the exporter from the station's reports). */
  | 'station-stale'
  /** The exporter has not published for longer than its schedule allows (seen by a station). */
  | 'exporter-stale'
  /** The exporter could not pull from the journal system. */
  | 'pull-failed'
  /** The exporter could not build or publish a snapshot. */
  | 'publish-failed'
  /** A station refused a snapshot (signature, policy, content). */
  | 'snapshot-rejected'
  /** A station could not fetch from the outbox. */
  | 'sync-failed';

export interface Alert {
  readonly kind: AlertKind;
  readonly severity: 'warning' | 'critical';
  /** ISO instant the condition was seen. */
  readonly at: string;
  /** Who saw it: `exporter` or `station`, and that side's name. */
  readonly side: 'exporter' | 'station';
  readonly name: string;
  /** The stable error code behind the alert, when there is one. */
  readonly code?: string;
  /** One line for a person: what happened and since when. Never patient data. */
  readonly message: string;
  readonly details?: readonly string[];
}

export interface AlertHook {
  /** argv of a command to run, e.g. ["/usr/local/bin/notify-oncall"]; no shell is involved. */
  readonly command?: readonly string[];
  /** URL that receives the alert as a JSON POST. */
  readonly webhook?: string;
  /** Per delivery; default 10 s. */
  readonly timeoutMs?: number;
}

export interface AlertDeps {
  readonly log: Logger;
}

/** Deliver an alert by every configured way; resolves with what worked, never rejects. */
export async function sendAlert(
  alert: Alert,
  hook: AlertHook | undefined,
  deps: AlertDeps,
): Promise<{ command: boolean | null; webhook: boolean | null }> {
  deps.log.warn('alert', {
    kind: op(alert.kind),
    severity: op(alert.severity),
    ...(alert.code ? { code: op(alert.code) } : {}),
  });
  const timeoutMs = hook?.timeoutMs ?? 10_000;
  const [command, webhook] = await Promise.all([
    hook?.command && hook.command.length > 0
      ? runCommand(hook.command, alert, timeoutMs).then(
          () => true,
          (error: unknown) => {
            deps.log.error('alert.command_failed', { reason: op(describe(error)) });
            return false;
          },
        )
      : Promise.resolve(null),
    hook?.webhook
      ? postWebhook(hook.webhook, alert, timeoutMs).then(
          () => true,
          (error: unknown) => {
            deps.log.error('alert.webhook_failed', { reason: op(describe(error)) });
            return false;
          },
        )
      : Promise.resolve(null),
  ]);
  return { command, webhook };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}

function runCommand(argv: readonly string[], alert: Alert, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, {
      stdio: ['pipe', 'ignore', 'ignore'],
      timeout: timeoutMs,
      env: {
        ...process.env,
        RESERVJOURNAL_ALERT_KIND: alert.kind,
        RESERVJOURNAL_ALERT_SEVERITY: alert.severity,
        RESERVJOURNAL_ALERT_SIDE: alert.side,
        RESERVJOURNAL_ALERT_NAME: alert.name,
        RESERVJOURNAL_ALERT_CODE: alert.code ?? '',
        RESERVJOURNAL_ALERT_MESSAGE: alert.message,
      },
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`alert command ended with ${code ?? signal}`)),
    );
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(alert) + '\n');
  });
}

async function postWebhook(url: string, alert: Alert, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alert),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}

/**
 * The `command` of an alert hook in a config file: a non-empty list of strings, the program and
 * its arguments (no shell). Adds a problem and returns undefined when it is something else.
 */
export function parseAlertCommand(raw: unknown, problems: string[]): string[] | undefined {
  if (
    Array.isArray(raw) &&
    raw.length > 0 &&
    raw.every((a): a is string => typeof a === 'string' && a !== '')
  )
    return [...raw];
  problems.push(
    'alert.command must be a list: the program and its arguments, e.g. ["/usr/local/bin/notify", "--urgent"]',
  );
  return undefined;
}
