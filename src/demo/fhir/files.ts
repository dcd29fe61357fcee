/**
 * Serving one export file the way a careful HTTP server does: gzip Content-Encoding when the
 * client accepts it, a strong ETag that differs per encoding, and byte ranges (RFC 9110 §14) on
 * the encoded bytes with If-Range (§13.1.5). `cutAfterBytes` promises the whole length, sends
 * part of it and drops the connection, as a broken network would.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  plain: Buffer,
  options: { gzip: boolean; ranges: boolean; cutAfterBytes?: number },
): void {
  const gz = options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gz ? gzipSync(plain) : plain;
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}${gz ? '-gz' : ''}"`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/fhir+ndjson',
    ETag: etag,
    ...(gz && { 'Content-Encoding': 'gzip' }),
    ...(options.ranges && { 'Accept-Ranges': 'bytes' }),
  };
  const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
  const ifRange = req.headers['if-range'];
  if (options.ranges && range && (ifRange === undefined || ifRange === etag)) {
    const start = Number(range[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'Content-Length': String(body.length - start),
    });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
  if (options.cutAfterBytes !== undefined && body.length > options.cutAfterBytes) {
    res.write(body.subarray(0, options.cutAfterBytes), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}
