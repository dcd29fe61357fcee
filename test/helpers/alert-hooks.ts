/**
 * Real alert receivers for the monitoring tests: a command (a small node script that appends its
 * standard input to a file) and a webhook (a node:http server on loopback that keeps every POST).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface CommandHook {
  readonly command: string[];
  /** Every alert the command received, parsed from its standard input. */
  received(): Record<string, unknown>[];
}

export function appendCommand(dir: string, name = 'alerts'): CommandHook {
  const script = path.join(dir, `${name}-append.mjs`);
  const out = path.join(dir, `${name}.ndjson`);
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => (text += c));
process.stdin.on('end', () => appendFileSync(process.argv[2], text.trim() + '\\n'));
`,
  );
  return {
    command: [process.execPath, script, out],
    received: () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [],
  };
}

export interface Webhook {
  readonly url: string;
  readonly received: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.headers['content-type'] === 'application/json')
        received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
