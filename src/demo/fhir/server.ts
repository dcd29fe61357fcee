/**
 * A FHIR R4 server that follows the Bulk Data Access IG (STU2,
 * https://hl7.org/fhir/uv/bulkdata/STU2/export.html) and FHIR REST search, serving the
 * resources of a Bulk Data folder (as `reservjournal generate` writes) from memory.
 *
 * Two users: `reservjournal demo fhir-server`, so that an operator can try the exporter, `pull`
 * and the whole link on one machine before connecting the real journal system; and the tests of
 * our FHIR client, which flip the `Behaviour` switches to make it misbehave the way real servers
 * do (slow and failing polls, expired jobs, cut downloads, partial exports). The demo never sets
 * them. No third-party Bulk Data server installs from npm alone (node-fhir-server-core is a
 * framework without data; Medplum's in-memory router has no $export and no paging links), hence
 * this one.
 *
 * Simplifications, stated: Group membership is a list given at start; a Group export holds the
 * members' Patients, resources whose `subject`/`patient` names a member, and every resource that
 * names no patient. `_since` compares meta.lastUpdated when present (resources without it are
 * always sent). Jobs live in memory; nothing is persisted. Small data sets only (demo, tests).
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completeJob, loadData, manifestPage, type CompleteManifest, type Job } from './jobs.ts';
import { serveFile } from './files.ts';
import { tokenAnswer, type RegisteredClient } from './jwt.ts';
import { outcome, searchPage } from './search.ts';

export interface Behaviour {
  /** Bearer token every FHIR request must carry (SMART tokens issued also count). */
  requireToken?: string;
  /** Status polls answered 202 before the manifest is ready. */
  inProgressPolls?: number;
  /** Retry-After value sent with each 202 (seconds or HTTP-date), none when absent. */
  retryAfter?: string;
  /** The next N status polls answer this status (500, 503 or 429), with Retry-After if set. */
  statusFailures?: { count: number; status: number; retryAfter?: string; final?: boolean };
  /** Status polls answer 404: the job expired. */
  expireJob?: boolean;
  /** OperationOutcome diagnostics placed in an error[] file. */
  errorDiagnostics?: string[];
  /** Send files gzip-encoded when the client accepts it. */
  gzip?: boolean;
  /** Cut the first download of each file after this many bytes (once per file). */
  cutAfterBytes?: number;
  /** Advertise and honour byte ranges on files (default true). */
  ranges?: boolean;
  /** Manifest requiresAccessToken (files then need the token too). */
  requiresAccessToken?: boolean;
  /** Split every type into this many output files. */
  filesPerType?: number;
  /** Send `next` links (search pages, manifest pages) on this origin instead of our own. */
  nextLinkOrigin?: string;
  /** Page the complete manifest: this many output entries a page, chained by `link` next. */
  manifestPageSize?: number;
  /** SMART: issued tokens expire after this many seconds. */
  tokenLifetimeS?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

export interface FhirTestServer {
  readonly origin: string;
  readonly base: string;
  readonly tokenUrl: string;
  readonly log: LoggedRequest[];
  readonly behaviour: Behaviour;
  /** Refusal reasons of the token endpoint, for assertions. */
  readonly tokenRefusals: string[];
  /** Forget every access token issued so far (a server restart or a revocation). */
  revokeTokens(): void;
  close(): Promise<void>;
}

export async function startFhirServer(options: {
  dataDir: string;
  behaviour?: Behaviour;
  groups?: Record<string, string[]>;
  smartClient?: RegisteredClient;
  /** Seconds since the epoch, for token and assertion lifetimes (tests fix the clock). */
  nowS?: () => number;
  /** Loopback port to listen on; 0 (the default) picks a free one. */
  port?: number;
}): Promise<FhirTestServer> {
  const { data, transactionTime } = loadData(options.dataDir);
  const behaviour: Behaviour = { ...options.behaviour };
  const log: LoggedRequest[] = [];
  const jobs = new Map<string, Job>();
  const tokens = new Map<string, number>();
  const seenJti = new Set<string>();
  const tokenRefusals: string[] = [];
  const nowS = options.nowS ?? (() => Date.now() / 1000);
  let origin = '';

  const authorised = (req: IncomingMessage): boolean => {
    if (behaviour.requireToken === undefined && options.smartClient === undefined) return true;
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    if (m[1] === behaviour.requireToken) return true;
    const until = tokens.get(m[1]!);
    return until !== undefined && until > nowS();
  };

  const send = (
    res: ServerResponse,
    status: number,
    body = '',
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
    res.end(body);
  };

  // Bulk Data Kick-off Request (§ "Bulk Data Kick-off Request").
  const kickOff = (
    req: IncomingMessage,
    res: ServerResponse,
    q: URLSearchParams,
    group?: string,
  ) => {
    if (req.headers.prefer !== 'respond-async')
      return send(res, 400, outcome('invalid', 'Prefer: respond-async is required'));
    const format = q.get('_outputFormat');
    if (
      format !== null &&
      !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format)
    )
      return send(res, 400, outcome('not-supported', 'only NDJSON'));
    let members: Set<string> | undefined;
    if (group !== undefined) {
      const list = options.groups?.[group];
      if (list === undefined) return send(res, 404, outcome('not-found', 'no such Group'));
      members = new Set(list);
    }
    const types = q.get('_type')?.split(',') ?? [...data.keys()];
    const id = randomUUID();
    jobs.set(id, {
      types,
      since: q.get('_since') ?? undefined,
      members,
      polls: 0,
      deleted: false,
      files: new Map(),
      cut: new Set(),
    });
    send(res, 202, '', { 'Content-Location': `${origin}/fhir/bulkstatus/${id}` });
  };

  // Bulk Data Status Request (§ "Bulk Data Status Request") and Delete Request.
  const status = (req: IncomingMessage, res: ServerResponse, id: string) => {
    const job = jobs.get(id);
    if (job === undefined || job.deleted || behaviour.expireJob)
      return send(res, 404, outcome('not-found', 'no such job (expired?)'));
    if (req.method === 'DELETE') {
      job.deleted = true;
      return send(res, 202, outcome('informational', 'deleted'));
    }
    const f = behaviour.statusFailures;
    if (f && f.count > 0) {
      f.count--;
      return send(
        res,
        f.status,
        outcome(f.final ? 'processing' : 'transient', 'try later'),
        f.retryAfter ? { 'Retry-After': f.retryAfter } : {},
      );
    }
    job.polls++;
    if (job.polls <= (behaviour.inProgressPolls ?? 0))
      return send(res, 202, '', {
        'X-Progress': `${job.polls * 10}% done`,
        ...(behaviour.retryAfter && { 'Retry-After': behaviour.retryAfter }),
      });
    job.manifest = completeJob(job, id, { data, transactionTime, behaviour, origin });
    sendManifestPage(res, id, job.manifest, 1);
  };

  const sendManifestPage = (res: ServerResponse, id: string, full: CompleteManifest, n: number) => {
    const size = behaviour.manifestPageSize;
    const page =
      size === undefined
        ? full
        : manifestPage(
            full,
            n,
            size,
            (next) => `${behaviour.nextLinkOrigin ?? origin}/fhir/bulkstatus/${id}/page/${next}`,
          );
    if (page === undefined) return send(res, 404, outcome('not-found', 'no such manifest page'));
    send(res, 200, JSON.stringify(page), {
      'Content-Type': 'application/json',
      Expires: new Date(Date.now() + 3600_000).toUTCString(),
    });
  };

  // Further pages of a paged manifest (see `manifestPageSize`).
  const statusPage = (res: ServerResponse, id: string, n: number) => {
    const job = jobs.get(id);
    if (job?.manifest === undefined || job.deleted)
      return send(res, 404, outcome('not-found', 'no such job (expired?)'));
    sendManifestPage(res, id, job.manifest, n);
  };

  // Bulk Data Output File Request (§ "Bulk Data Output File Request"); see fhir-files.ts.
  const file = (req: IncomingMessage, res: ServerResponse, id: string, name: string) => {
    const job = jobs.get(id);
    const plain = job?.files.get(name);
    if (!job || job.deleted || plain === undefined)
      return send(res, 404, outcome('not-found', 'no such file'));
    if (behaviour.requiresAccessToken && !authorised(req))
      return send(res, 401, outcome('login', 'token needed'));
    const cut = behaviour.cutAfterBytes !== undefined && !job.cut.has(name);
    if (cut) job.cut.add(name);
    serveFile(req, res, plain, {
      gzip: behaviour.gzip === true,
      ranges: behaviour.ranges !== false,
      ...(cut && { cutAfterBytes: behaviour.cutAfterBytes! }),
    });
  };

  const search = (res: ServerResponse, type: string, q: URLSearchParams) => {
    const page = searchPage(data.get(type), type, q, origin, behaviour.nextLinkOrigin ?? origin);
    send(res, page.status, page.body);
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const answer = tokenAnswer(new URLSearchParams(raw), {
      ...(options.smartClient && { client: options.smartClient }),
      tokenUrl: `${origin}/auth/token`,
      nowS: nowS(),
      seenJti,
      lifetimeS: behaviour.tokenLifetimeS ?? 300,
    });
    if ('refused' in answer) tokenRefusals.push(answer.refused);
    else tokens.set(answer.token, nowS() + (behaviour.tokenLifetimeS ?? 300));
    send(res, answer.status, answer.body, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    log.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });
    const p = url.pathname;
    void (async () => {
      if (p === '/auth/token' && req.method === 'POST') return token(req, res);
      if (p === '/fhir/.well-known/smart-configuration')
        return send(
          res,
          200,
          JSON.stringify({
            token_endpoint: `${origin}/auth/token`,
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          }),
          { 'Content-Type': 'application/json' },
        );
      const fileMatch = /^\/fhir\/bulkfiles\/([\w-]+)\/([\w.-]+)$/.exec(p);
      if (fileMatch) return file(req, res, fileMatch[1]!, fileMatch[2]!);
      if (!authorised(req)) return send(res, 401, outcome('login', 'token needed'));
      const statusMatch = /^\/fhir\/bulkstatus\/([\w-]+)$/.exec(p);
      if (statusMatch) return status(req, res, statusMatch[1]!);
      const pageMatch = /^\/fhir\/bulkstatus\/([\w-]+)\/page\/(\d{1,6})$/.exec(p);
      if (pageMatch && req.method === 'GET')
        return statusPage(res, pageMatch[1]!, Number(pageMatch[2]));
      if (p === '/fhir/$export' || p === '/fhir/Patient/$export')
        return kickOff(req, res, url.searchParams);
      const groupMatch = /^\/fhir\/Group\/([\w.-]+)\/\$export$/.exec(p);
      if (groupMatch) return kickOff(req, res, url.searchParams, groupMatch[1]);
      const searchMatch = /^\/fhir\/([A-Z][A-Za-z]+)$/.exec(p);
      if (searchMatch && req.method === 'GET')
        return search(res, searchMatch[1]!, url.searchParams);
      send(res, 404, outcome('not-found', 'no route'));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    base: `${origin}/fhir`,
    tokenUrl: `${origin}/auth/token`,
    log,
    behaviour,
    tokenRefusals,
    revokeTokens: () => tokens.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
