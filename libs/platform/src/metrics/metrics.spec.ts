import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRepositories } from '@switchboard/persistence';
import { makeChat } from '@switchboard/persistence/testing';
import request from 'supertest';
import { ClusterEventBus } from '../cluster-event-bus';
import { PlatformModule } from '../platform.module';
import { parseExposition, sampleValue } from './exposition';
import { Metrics } from './metrics';

describe('GET /metrics (embedded adapters)', () => {
  let dataDirectory: string;
  let app: INestApplication;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-metrics-'));
    const environment = {
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_NODE_ID: 'routing@test',
    };
    @Module({ imports: [PlatformModule.forRoot({ service: 'routing', defaultPort: 0, environment })] })
    class ProcessModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProcessModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  /** Scrapes GET /metrics and parses it (a malformed line fails the test). */
  async function scrape() {
    const response = await request(app.getHttpServer() as Server)
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /^text\/plain;.*version=0\.0\.4/);
    return parseExposition(response.text);
  }

  it('answers in the Prometheus text exposition format, every sample line well-formed', async () => {
    const samples = await scrape();
    const identity = { service: 'routing', node: 'routing@test' };
    expect(sampleValue(samples, 'switchboard_chats', { state: 'active', ...identity })).toBe(0);
    expect(sampleValue(samples, 'switchboard_cluster_stream_tail_sequence', identity)).toEqual(
      expect.any(Number),
    );
    expect(sampleValue(samples, 'process_cpu_user_seconds_total', identity)).toBeGreaterThan(0);
  });

  it('counts chats by state from the database at scrape time', async () => {
    const repositories = appRepositories(app);
    const before = sampleValue(await scrape(), 'switchboard_chats', { state: 'waiting' }) ?? 0;
    const closed = await makeChat(repositories);
    await makeChat(repositories);
    await repositories.chats.close(closed.id, 'VC', new Date(), 'missed');
    const samples = await scrape();
    expect(sampleValue(samples, 'switchboard_chats', { state: 'waiting' })).toBe(before + 1);
    expect(sampleValue(samples, 'switchboard_chats', { state: 'missed' })).toBeGreaterThanOrEqual(1);
  });

  it('reports how many stream events this process has not read yet (0 once it caught up)', async () => {
    const bus = app.get(ClusterEventBus);
    await bus.publish({ type: 'reload', origin: 'test', at: new Date().toISOString(), target: 'sites' });
    const deadline = Date.now() + 5000;
    let lag: number | undefined;
    do {
      lag = sampleValue(await scrape(), 'switchboard_cluster_stream_lag_events');
      if (lag !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
    } while (lag !== 0 && Date.now() < deadline);
    expect(lag).toBe(0);
    const tail = sampleValue(await scrape(), 'switchboard_cluster_stream_tail_sequence') ?? -1;
    expect(bus.position).toBe(tail + 1);
  });

  it('exposes what the feature modules record', async () => {
    const metrics = app.get(Metrics);
    metrics.webhookOutcomes.inc({ kind: 'incoming', outcome: 'stored' });
    const samples = await scrape();
    expect(
      sampleValue(samples, 'switchboard_webhook_outcomes_total', { kind: 'incoming', outcome: 'stored' }),
    ).toBe(1);
  });

  it('observes how late each cluster event is read, also of types this process does not handle', async () => {
    const bus = app.get(ClusterEventBus);
    const at = new Date(Date.now() - 2000).toISOString();
    await bus.publish({ type: 'reload', origin: 'test', at, target: 'skills' });
    await bus.publish({
      type: 'chat.typing',
      origin: 'test',
      at,
      chatUid: randomUUID(),
      by: 'visitor',
      typing: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const samples = await scrape();
    const delay = (type: string, series: string) =>
      sampleValue(samples, `switchboard_cluster_event_delay_seconds_${series}`, { type });
    expect(delay('chat.typing', 'count')).toBe(1);
    expect(delay('chat.typing', 'sum')).toBeGreaterThanOrEqual(2);
    // Published 2 s ago: above the 1 s bucket, within the 2.5 s one.
    expect(
      sampleValue(samples, 'switchboard_cluster_event_delay_seconds_bucket', {
        type: 'chat.typing',
        le: '1',
      }),
    ).toBe(0);
    expect(
      sampleValue(samples, 'switchboard_cluster_event_delay_seconds_bucket', {
        type: 'chat.typing',
        le: '2.5',
      }),
    ).toBe(1);
    expect(delay('reload', 'count')).toBeGreaterThanOrEqual(1);
  });
});
