/**
 * Where the exporter's data comes from. Every source writes the same thing: a Bulk-Data-shaped
 * folder (manifest.json plus one NDJSON file per resource type) that `snapshot build` reads. The
 * exporter and `pull` only know this module; each kind of source lives in a file of its own.
 *
 * Secrets are never part of a spec: a bearer token is named by the file or environment variable
 * that holds it, a SMART client by its private key file, so that a spec can be logged, shown in a
 * config problem and kept in a config file under version control without leaking anything.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { BulkFolderManifest } from './bulk-folder.ts';

/** How the exporter proves who it is to the FHIR server. */
export type SourceAuth =
  | { readonly kind: 'none' }
  | {
      /** A static bearer token read at every pull (so a rotated token is picked up). */
      readonly kind: 'bearer';
      /** A file holding the token (surrounding white space ignored); exactly one of the two. */
      readonly tokenFile?: string;
      /** The name of an environment variable holding the token. */
      readonly tokenEnv?: string;
    }
  | {
      /** SMART Backend Services: client credentials with a signed JWT assertion. */
      readonly kind: 'smart-backend';
      readonly clientId: string;
      /** PEM file of the client's private key (RSA for RS384, EC P-384 for ES384). */
      readonly privateKeyFile: string;
      /** The `kid` registered with the server for the matching public key. */
      readonly keyId: string;
      /** Token endpoint; discovered from `.well-known/smart-configuration` when absent. */
      readonly tokenUrl?: string;
      /** Scopes asked for; `system/*.read` when absent. */
      readonly scope?: string;
    };

/** What to ask for, whatever the source. */
export interface PullRequest {
  /** Resource types to fetch (`_type`); all when absent. */
  readonly types?: readonly string[];
  /** Only resources changed after this instant (`_since`). */
  readonly since?: string;
}

/** What both HTTP kinds share. */
interface HttpSource extends PullRequest {
  /** The FHIR base URL (`[base]` in the specification), without a trailing slash needed. */
  readonly base: string;
  readonly auth?: SourceAuth;
  /** One HTTP request may take this long before it counts as failed (default 60). */
  readonly requestTimeoutSeconds?: number;
}

export type SourceSpec =
  | (HttpSource & {
      readonly kind: 'bulk-export';
      /** System level when absent; `Patient` level; or `Group/[id]` level. */
      readonly level?: 'system' | 'patient' | 'group';
      readonly group?: string;
      /**
       * Accept a manifest with `error[]` entries (reported as warnings). Off by default: a
       * silently partial downtime copy is dangerous.
       */
      readonly allowPartial?: boolean;
      /** The whole export (kick-off to last download) must finish within this (default 120). */
      readonly exportTimeoutMinutes?: number;
      /**
       * Largest output file accepted, in bytes as sent (default 64 GiB, what a station accepts
       * unpacked in all): a runaway or hostile server must not fill the exporter's disk.
       */
      readonly maxFileBytes?: number;
    })
  | (HttpSource & {
      readonly kind: 'rest-search';
      /** Page size asked for with `_count` (default 200). */
      readonly pageSize?: number;
      /** Safety cap on pages followed per resource type (default 10 000). */
      readonly maxPages?: number;
    })
  | { readonly kind: 'ndjson-folder'; readonly dir: string }
  | { readonly kind: 'bundle-folder'; readonly dir: string };

export interface PullDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Waiting between polls and retries; tests pass one that records the waits. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops a pull in progress (exporter shutting down). */
  readonly signal?: AbortSignal;
  /** Where `tokenEnv` is looked up; the CLI passes process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface PullResult {
  readonly manifest: BulkFolderManifest;
  readonly resources: number;
  /** Problems reported without failing the whole pull (Bulk Data `error[]`, missing timestamps). */
  readonly warnings: readonly string[];
}
