import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ParameterService } from '@switchboard/config';
import { appRepositories, type Repositories } from '@switchboard/persistence';
import { makeChat } from '@switchboard/persistence/testing';
import { TranscriptRetention } from '@switchboard/routing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedAppModule } from './embedded-app.module';

const DAY_MS = 86_400_000;

// ACD.Chat.Transcript.Retention.Days acting in the running composition: the routing feature's purge.
describe('transcript retention', () => {
  let dataDirectory: string;
  let app: INestApplication;
  let repositories: Repositories;

  beforeEach(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-retention-'));
    const moduleRef = await Test.createTestingModule({
      imports: [EmbeddedAppModule.forRoot({ DATADIR: dataDirectory, PORT: '0', HOST: '127.0.0.1' })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    repositories = appRepositories(app);
  });

  afterEach(async () => {
    await app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  /** A chat that ended `days` ago, with a line and its closing code. */
  async function endedDaysAgo(days: number) {
    const chat = await makeChat(repositories);
    await repositories.chatLines.append(chat.id, {
      senderKind: 'visitor',
      senderName: 'Vera',
      text: 'hello',
    });
    await repositories.chats.close(chat.id, 'VC', new Date(Date.now() - days * DAY_MS), 'missed', [
      { code: 'VC', text: 'Visitor Closed Session' },
    ]);
    return chat;
  }

  it('keeps everything while Retention.Days is 0 (the default)', async () => {
    const old = await endedDaysAgo(4000);
    expect(await app.get(TranscriptRetention).purge()).toBe(0);
    expect(await repositories.chats.findById(old.id)).not.toBeNull();
  });

  it('deletes chats that ended before the retention period with their lines and events, and audits the run', async () => {
    await app.get(ParameterService).set('ACD.Chat.Transcript.Retention.Days', '30', 'test');
    const old = [await endedDaysAgo(45), await endedDaysAgo(31)];
    const recent = await endedDaysAgo(29);
    const open = await makeChat(repositories);
    expect(await app.get(TranscriptRetention).purge()).toBe(2);
    for (const chat of old) {
      expect(await repositories.chats.findById(chat.id)).toBeNull();
      expect(await repositories.chatLines.listSince(chat.id, 0)).toEqual([]);
      expect(await repositories.chatEvents.listByChat(chat.id)).toEqual([]);
    }
    expect(await repositories.chats.findById(recent.id)).not.toBeNull();
    expect(await repositories.chats.findById(open.id)).not.toBeNull();
    const [audit] = await repositories.adminAudit.list({ targetKind: 'chats' });
    expect(audit).toMatchObject({ actor: 'transcript-retention', action: 'transcript.purge' });
    expect(JSON.parse(audit.newValue!)).toMatchObject({ deleted: 2, retentionDays: 30 });
    expect(await app.get(TranscriptRetention).purge()).toBe(0);
    expect(await repositories.adminAudit.list({ targetKind: 'chats' })).toHaveLength(1);
  });

  it('leaves the purge to the node holding the lease', async () => {
    await app.get(ParameterService).set('ACD.Chat.Transcript.Retention.Days', '30', 'test');
    const old = await endedDaysAgo(45);
    expect(await repositories.jobLeases.acquire('transcript-retention', 'routing@other', 600_000)).toBe(true);
    expect(await app.get(TranscriptRetention).purge()).toBe(0);
    expect(await repositories.chats.findById(old.id)).not.toBeNull();
  });
});
