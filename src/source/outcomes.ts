/**
 * OperationOutcomes from the server, reduced to operator lines (severity, code, diagnostics cut
 * short, identity-number shapes masked): in error answers and in Bulk Data `error[]` files.
 *
 * Reading a Bulk Data `error[]` file: NDJSON OperationOutcomes, reduced to operator lines
 * (severity, code, diagnostics; see outcomeLines in http.ts for what is kept and masked).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ReservError } from '../core/errors.ts';

// Error files are small by nature; a bigger one is not read whole.
const MAX_ERROR_FILE = 16 * 1024 * 1024;

export function readOutcomes(file: string, gzip: boolean): string[] {
  let bytes = readFileSync(file);
  try {
    if (gzip) bytes = gunzipSync(bytes, { maxOutputLength: MAX_ERROR_FILE });
  } catch (cause) {
    throw new ReservError('SOURCE_FILE_INVALID', {
      details: ['an error[] file is damaged or too large'],
      cause,
    });
  }
  const out: string[] = [];
  for (const line of bytes.subarray(0, MAX_ERROR_FILE).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(...outcomeLines(JSON.parse(line)));
    } catch {
      out.push('an error[] line is not JSON');
    }
  }
  return out;
}

// https://hl7.org/fhir/R4/valueset-issue-type.html: the codes under `transient`.
const TRANSIENT = new Set([
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'incomplete',
  'throttled',
]);

/** `severity code: diagnostics` for each issue of an OperationOutcome, cut short, no id shapes. */
export function outcomeLines(value: unknown): string[] {
  const o = value as { resourceType?: unknown; issue?: unknown } | null;
  if (o?.resourceType !== 'OperationOutcome' || !Array.isArray(o.issue)) return [];
  return o.issue.map((raw) => {
    const i = raw as {
      severity?: unknown;
      code?: unknown;
      diagnostics?: unknown;
      details?: { text?: unknown };
    };
    const said =
      typeof i.diagnostics === 'string'
        ? i.diagnostics
        : typeof i.details?.text === 'string'
          ? i.details.text
          : '';
    // The server's words go to the operator; identity-number shapes are masked all the same.
    const text = said.replace(/\b(\d{6}|\d{8})[-+]?\d{4}\b/g, '[id]').slice(0, 300);
    const severity = typeof i.severity === 'string' ? i.severity : 'error';
    const code = typeof i.code === 'string' ? i.code : 'unknown';
    return `${severity} ${code}${text ? `: ${text}` : ''}`;
  });
}

export function finalOutcome(text: string): string[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const issues = (body as { issue?: { code?: unknown }[] } | null)?.issue;
  const lines = outcomeLines(body);
  if (lines.length === 0 || !Array.isArray(issues)) return undefined;
  return issues.some((i) => TRANSIENT.has(String(i?.code))) ? undefined : lines;
}

export function outcomeLinesOf(text: string): string[] {
  try {
    return outcomeLines(JSON.parse(text));
  } catch {
    return [];
  }
}

/** JSON when there is a body, undefined when it is empty or not JSON (error answers). */
export function maybeJson(text: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
