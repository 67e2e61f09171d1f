import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ClusterEventBus } from '../cluster-event-bus';
import { PlatformModule } from '../platform.module';
import { Metrics } from './metrics';

// One sample line of the Prometheus text format: name{labels} value (Prometheus reads NaN in any case;
// prom-client writes `Nan` before the event loop monitor has a sample).
const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-]Inf)$/;

describe('GET /metrics (embedded adapters)', () => {
  const savedEnvironment = { ...process.env };
  let dataDirectory: string;
  let app: INestApplication;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-metrics-'));
    Object.assign(process.env, {
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_NODE_ID: 'routing@test',
    });
    @Module({ imports: [PlatformModule.forRoot({ service: 'routing', defaultPort: 0 })] })
    class ProcessModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProcessModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    process.env = savedEnvironment;
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('answers in the Prometheus text exposition format, every sample line well-formed', async () => {
    const response = await request(app.getHttpServer() as Server)
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /^text\/plain;.*version=0\.0\.4/);
    const samples = response.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.filter((line) => !sampleLine.test(line))).toEqual([]);
    expect(response.text).toContain(
      'switchboard_chats{state="active",service="routing",node="routing@test"} 0',
    );
    expect(response.text).toContain('switchboard_cluster_stream_tail_sequence{');
    expect(response.text).toContain('process_cpu_user_seconds_total{');
  });

  it('exposes what the feature modules record, and how late cluster events are read', async () => {
    const metrics = app.get(Metrics);
    metrics.webhookOutcomes.inc({ kind: 'incoming', outcome: 'stored' });
    metrics.connections.set({ namespace: 'visitor' }, 3);
    await app
      .get(ClusterEventBus)
      .publish({ type: 'reload', origin: 'test', at: new Date().toISOString(), target: 'skills' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { text } = await request(app.getHttpServer() as Server)
      .get('/metrics')
      .expect(200);
    expect(text).toMatch(/switchboard_webhook_outcomes_total\{kind="incoming",outcome="stored",[^}]*\} 1/);
    expect(text).toMatch(/switchboard_connections\{namespace="visitor",[^}]*\} 3/);
    expect(text).toMatch(/switchboard_cluster_event_delay_seconds_count\{[^}]*type="reload"[^}]*\} 1/);
  });
});
