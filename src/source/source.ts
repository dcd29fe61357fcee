/**
 * Where the exporter's data comes from. Every source writes the same thing: a Bulk-Data-shaped
 * folder (manifest.json plus one NDJSON file per resource type) that `snapshot build` reads. The
 * exporter and `pull` only know this module; each kind of source lives in a file of its own.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { BulkFolderManifest } from './bulk-folder.ts';

/** How the exporter proves who it is to the FHIR server. */
export type SourceAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
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
      readonly scope?: string;
    };

/** What to ask for, whatever the source. */
export interface PullRequest {
  /** Resource types to fetch (`_type`); all when absent. */
  readonly types?: readonly string[];
  /** Only resources changed after this instant (`_since`). */
  readonly since?: string;
}

export type SourceSpec =
  | ({
      readonly kind: 'bulk-export';
      readonly base: string;
      /** System level when neither is given; `Patient` level; or `Group/[id]` level. */
      readonly level?: 'system' | 'patient' | 'group';
      readonly group?: string;
      readonly auth?: SourceAuth;
    } & PullRequest)
  | ({
      readonly kind: 'rest-search';
      readonly base: string;
      readonly auth?: SourceAuth;
      /** Page size asked for with `_count`. */
      readonly pageSize?: number;
    } & PullRequest)
  | { readonly kind: 'ndjson-folder'; readonly dir: string }
  | { readonly kind: 'bundle-folder'; readonly dir: string };

export interface PullDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Waiting between polls and retries; tests pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops a pull in progress (exporter shutting down). */
  readonly signal?: AbortSignal;
}

export interface PullResult {
  readonly manifest: BulkFolderManifest;
  readonly resources: number;
  /** Problems the server reported without failing the whole pull (Bulk Data `error[]`). */
  readonly warnings: readonly string[];
}
