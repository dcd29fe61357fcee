/**
 * The audit log delivered back to a real inbox server over real HTTP on loopback, and into a
 * folder: chunks with signed checkpoints arrive, a second run sends nothing new, a connection cut
 * mid-body or a lost confirmation leaves `delivered_through` where it was and the next run
 * completes. (What the inbox refuses: inbox.int.test.ts.)
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../src/audit/checkpoint.ts';
import { loadConfig } from '../../src/config/config.ts';
import { deliverAudit } from '../../src/link/audit-delivery.ts';
import type { StationReport } from '../../src/link/inbox-format.ts';
import { auditDeliveryState } from '../../src/monitor/link-status.ts';
import { deliveryFixture } from './delivery-fixture.ts';

const f = deliveryFixture('delivery');
const { root, inboxDir, clock, deps, configWith, delivered, files, logSignIns } = f;

/** A TCP proxy to the inbox that cuts the connection: after `limit` request bytes, or when the answer starts. */
async function cuttingProxy(
  target: string,
  cut: { afterRequestBytes?: number; dropAnswer?: boolean },
) {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    sockets.add(client).add(upstream);
    let sent = 0;
    const cutBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data: Buffer) => {
      const limit = cut.afterRequestBytes ?? Number.POSITIVE_INFINITY;
      if (sent + data.length > limit) {
        upstream.write(data.subarray(0, limit - sent), cutBoth);
        sent = limit;
        return;
      }
      sent += data.length;
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => (cut.dropAnswer ? cutBoth() : client.write(data)));
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('audit delivery over HTTP', () => {
  it('delivers every entry in chunks with signed checkpoints and a status report, and nothing twice', async () => {
    logSignIns(5200);
    expect(await deliverAudit(f.station, configWith(f.inbox.url), deps)).toEqual({
      delivered: 5200,
      through: 5200,
    });
    expect(files()).toEqual([
      '000000000001-000000005000.checkpoint.json',
      '000000000001-000000005000.ndjson',
      '000000005001-000000005200.checkpoint.json',
      '000000005001-000000005200.ndjson',
    ]);
    const lines = readFileSync(
      path.join(inboxDir, 'alpha/audit/000000000001-000000005000.ndjson'),
      'utf8',
    )
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { resourceType: string; id: string });
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toMatchObject({ resourceType: 'AuditEvent', id: 'audit-1' });
    expect(lines[4999]!.id).toBe('audit-5000');
    const checkpoint: unknown = JSON.parse(
      readFileSync(
        path.join(inboxDir, 'alpha/audit/000000005001-000000005200.checkpoint.json'),
        'utf8',
      ),
    );
    expect(verifyCheckpoint(checkpoint, createPublicKey(f.auditPem))).toBe(true);
    expect(checkpoint).toMatchObject({ seq: 5200, hash: f.audit.head().hash, station: 'alpha' });
    const report = JSON.parse(
      readFileSync(path.join(inboxDir, 'alpha/status.json'), 'utf8'),
    ) as StationReport;
    expect(report).toMatchObject({
      station: 'alpha',
      audit: { deliveredThrough: 5200, head: 5200 },
    });
    expect(delivered()).toBe(5200);

    clock.advance(60_000);
    expect(await deliverAudit(f.station, configWith(f.inbox.url), deps)).toEqual({
      delivered: 0,
      through: 5200,
    });
    expect(files()).toHaveLength(4);
    // The station's log is untouched by delivery.
    expect(f.audit.head().seq).toBe(5200);
    expect(f.audit.verify().ok).toBe(true);
  });

  it('leaves delivered_through where it was when the connection is cut mid-body, and the next run completes', async () => {
    logSignIns(40);
    const proxy = await cuttingProxy(f.inbox.url, { afterRequestBytes: 2000 });
    try {
      await expect(deliverAudit(f.station, configWith(proxy.url), deps)).rejects.toMatchObject({
        code: 'AUDIT_DELIVERY_FAILED',
      });
    } finally {
      await proxy.close();
    }
    expect(delivered()).toBe(5200);
    expect(auditDeliveryState(f.station.control).lastError).toMatch(/^AUDIT_DELIVERY_FAILED/);
    expect(files()).toHaveLength(4);
    expect(await deliverAudit(f.station, configWith(f.inbox.url), deps)).toEqual({
      delivered: 40,
      through: 5240,
    });
    expect(files()).toContain('000000005201-000000005240.ndjson');
    expect(auditDeliveryState(f.station.control).lastError).toBeNull();
  });

  it('sends a chunk again when its confirmation was lost, and the inbox takes the repeat as success', async () => {
    logSignIns(7);
    const proxy = await cuttingProxy(f.inbox.url, { dropAnswer: true });
    try {
      await expect(deliverAudit(f.station, configWith(proxy.url), deps)).rejects.toMatchObject({
        code: 'AUDIT_DELIVERY_FAILED',
      });
    } finally {
      await proxy.close();
    }
    // The inbox stored the file, but the station never heard: it has not moved on.
    expect(files()).toContain('000000005241-000000005247.ndjson');
    expect(delivered()).toBe(5240);
    expect(await deliverAudit(f.station, configWith(f.inbox.url), deps)).toEqual({
      delivered: 7,
      through: 5247,
    });
  });
});

describe('audit delivery into a folder', () => {
  it('writes the same files into a share, nothing twice, and fails without moving on when the folder is missing', async () => {
    const share = path.join(root, 'share');
    mkdirSync(share);
    f.station.control.prepare('UPDATE audit_delivery SET delivered_through = 0').run();
    const first = await deliverAudit(f.station, configWith(share), deps);
    expect(first).toEqual({ delivered: 5247, through: 5247 });
    expect(readdirSync(path.join(share, 'alpha', 'audit')).sort()).toEqual([
      '000000000001-000000005000.checkpoint.json',
      '000000000001-000000005000.ndjson',
      '000000005001-000000005247.checkpoint.json',
      '000000005001-000000005247.ndjson',
    ]);
    expect(existsSync(path.join(share, 'alpha', 'status.json'))).toBe(true);
    expect(await deliverAudit(f.station, configWith(share), deps)).toEqual({
      delivered: 0,
      through: 5247,
    });
    logSignIns(2);
    const unmounted = path.join(root, 'not-mounted');
    await expect(deliverAudit(f.station, configWith(unmounted), deps)).rejects.toMatchObject({
      code: 'AUDIT_DELIVERY_FAILED',
    });
    expect(existsSync(unmounted)).toBe(false);
    expect(delivered()).toBe(5247);
    // The same chunks as the HTTP inbox got, byte for byte.
    const a = readFileSync(path.join(share, 'alpha/audit/000000000001-000000005000.ndjson'));
    expect(
      a.equals(readFileSync(path.join(inboxDir, 'alpha/audit/000000000001-000000005000.ndjson'))),
    ).toBe(true);
  });

  it('with no inbox configured, delivers nothing and says where it stands', async () => {
    const config = loadConfig({ cwd: root, env: {}, flags: { dataDir: f.station.paths.dataDir } });
    expect(await deliverAudit(f.station, config, deps)).toEqual({ delivered: 0, through: 5247 });
  });
});
