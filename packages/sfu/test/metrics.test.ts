import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataPacket_Kind } from '@livekit/protocol';
import { dispose } from '@livekit/rtc-node';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createSfuMetrics } from '../src/metrics.ts';
import { startSfu } from '../src/start.ts';
import { joinAsNode } from './support/node-participant.ts';
import { KEYS, roomService } from './support/tokens.ts';

function value(text: string, series: string): number {
  const escaped = series.replace(/[{}"]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

describe('SFU metrics', () => {
  afterAll(() => dispose());

  it('counts rooms, participants, packets, bytes and drops by reason', async () => {
    const metrics = createSfuMetrics({ processMetrics: false });
    metrics.roomsOpened();
    metrics.roomsOpened();
    metrics.roomsClosed();
    metrics.participantsJoined();
    metrics.packetIn(100);
    metrics.packetOut(40);
    metrics.packetOut(60);
    metrics.packetDropped('oversize');
    const text = await metrics.render();
    expect(value(text, 'sfu_rooms')).toBe(1);
    expect(value(text, 'sfu_rooms_opened_total')).toBe(2);
    expect(value(text, 'sfu_participants')).toBe(1);
    expect(value(text, 'sfu_packets_in_total')).toBe(1);
    expect(value(text, 'sfu_bytes_in_total')).toBe(100);
    expect(value(text, 'sfu_packets_out_total')).toBe(2);
    expect(value(text, 'sfu_bytes_out_total')).toBe(100);
    expect(value(text, 'sfu_packets_dropped_total{reason="oversize"}')).toBe(1);
    expect(value(text, 'sfu_packets_dropped_total{reason="no_permission"}')).toBe(0);
  });

  it('serves GET /metrics in the Prometheus text format and refuses other methods', async () => {
    const metrics = createSfuMetrics();
    const server = createServer((req, res) => void metrics.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(metrics.contentType);
      const text = await response.text();
      expect(text).toMatch(/^# TYPE sfu_rooms gauge$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reflects a live room: one participant, server data counted out', async () => {
    const sfu = await startSfu({
      port: 0,
      keys: KEYS,
      logger: pino({ level: 'silent' }),
      rtc: { bindAddress: '127.0.0.1' },
    });
    try {
      const scrape = async () => (await fetch(`${sfu.url.replace(/^ws/, 'http')}/metrics`)).text();
      const reader = await joinAsNode(sfu.url, 'measured', 'reader');
      await roomService(sfu.url).sendData(
        'measured',
        new TextEncoder().encode('count me'),
        DataPacket_Kind.RELIABLE,
        {},
      );
      await reader.nextData('count me');
      const text = await scrape();
      expect(value(text, 'sfu_rooms')).toBe(1);
      expect(value(text, 'sfu_participants')).toBe(1);
      expect(value(text, 'sfu_packets_out_total')).toBeGreaterThanOrEqual(1);
      await reader.leave();
      await expect.poll(async () => value(await scrape(), 'sfu_participants')).toBe(0);
    } finally {
      await sfu.close();
    }
  });
});
