import { toLineView } from '@switchboard/chat';
import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  appRepositories,
  type ChatConnectorRecord,
  type ChatLineRecord,
  type ChatRecord,
  type Repositories,
} from '@switchboard/persistence';
import { ClusterEventBus, PlatformModule } from '@switchboard/platform';
import type { ClusterEvent } from '@switchboard/protocol';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InboxProcessor } from '../webhooks/inbox-processor.service';
import { OutboundSender } from '../outbound/outbound-sender.service';
import { WhatsappConnectorModule } from '../whatsapp-connector.module';

/** A whatsapp-connector node listening on a free port, on whatever SWITCHBOARD_* environment is set. */
export interface ConnectorNode {
  readonly app: INestApplication;
  readonly url: string;
  readonly repositories: Repositories;
  /** Every cluster event this node read, in order. */
  readonly events: ClusterEvent[];
  /** Resolves when no webhook is being processed and no line is being sent. */
  idle(): Promise<void>;
  /** Runs both sweeps once (what a restarted node does first). */
  sweep(): Promise<void>;
  /** Polls `condition`, sweeping between polls (retries come due), until it holds or `timeoutMs` passes. */
  until(what: string, condition: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Publishes a stored line as messaging does (`chat.line`). */
  publishLine(chat: ChatRecord, line: ChatLineRecord): Promise<void>;
  /** Stores an agent's line in a chat and publishes it. */
  agentLine(chat: ChatRecord, text: string): Promise<ChatLineRecord>;
  /** A chat connector with an encrypted API key on a new site. */
  addConnector(input: {
    phoneNumber: string;
    apiKey: string;
    language?: string;
  }): Promise<ChatConnectorRecord>;
}

/**
 * The environment of a spec's connector node: SQLite under `dataDirectory`, the in-memory cluster,
 * the webhook `secret`, the local TynTec at `tyntecUrl` (its base URL) and the test addresses.
 */
export function connectorEnvironment(input: {
  dataDirectory: string;
  secret: string;
  tyntecUrl: string;
}): Record<string, string> {
  return {
    DATADIR: input.dataDirectory,
    SWITCHBOARD_CLUSTER: 'memory',
    SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: input.secret,
    ACD_WHATSAPP_TYNTEC_URL: `${input.tyntecUrl}/chat-api/v2/messages`,
    ACD_WHATSAPP_SERVER_BASE_URL: 'http://agents.test',
    ACD_WHATSAPP_WHATSAPP_URL: 'https://public.test',
  };
}

/**
 * Points a local TynTec's webhooks at a node (PATCH applications/default): customers' messages to
 * `/incoming?secret=…`, the statuses accepted, delivered and seen to `/delivery/<secret>`.
 */
export async function pointTyntecAt(
  tyntecUrl: string,
  apiKey: string,
  node: Pick<ConnectorNode, 'url'>,
  secret: string,
): Promise<number> {
  const response = await fetch(`${tyntecUrl}/chat-api/v2/applications/default`, {
    method: 'PATCH',
    headers: { apikey: apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      webhooks: [
        { events: ['MoMessage'], callbackUrl: `${node.url}/incoming?secret=${secret}` },
        {
          events: ['MessageStatus::accepted', 'MessageStatus::delivered', 'MessageStatus::seen'],
          callbackUrl: `${node.url}/delivery/${secret}`,
        },
      ],
    }),
  });
  return response.status;
}

export async function startConnectorNode(environment: Record<string, string>): Promise<ConnectorNode> {
  const processEnvironment = {
    PORT: '0',
    HOST: '127.0.0.1',
    SWITCHBOARD_WHATSAPP_SWEEP_MS: '60000',
    // Off unless a test asks: its lines would be in every transcript and every send log.
    SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: 'off',
    ...encryptionTestEnvironment(),
    ...environment,
  };
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'whatsapp-connector',
        defaultPort: 0,
        environment: processEnvironment,
      }),
      WhatsappConnectorModule,
    ],
  })
  class NodeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [NodeModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  const events: ClusterEvent[] = [];
  const bus = app.get(ClusterEventBus);
  for (const type of ['queue.added', 'chat.line', 'chat.delivery'] as const)
    bus.on(type, (event) => void events.push(event));
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const repositories = appRepositories(app);
  const processor = app.get(InboxProcessor);
  const sender = app.get(OutboundSender);
  const publishLine = async (chat: ChatRecord, line: ChatLineRecord) => {
    await bus.publish({
      type: 'chat.line',
      origin: 'spec',
      at: new Date().toISOString(),
      line: toLineView(chat.chatUid, line),
    });
  };
  const idle = async () => {
    await processor.idle();
    await sender.idle();
  };
  const sweep = async () => {
    await processor.sweep();
    await sender.sweep();
  };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    repositories,
    events,
    idle,
    sweep,
    until: async (what, condition, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await idle();
        if (await condition()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sweep();
      }
    },
    publishLine,
    agentLine: async (chat, text) => {
      const line = await repositories.chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text,
      });
      await publishLine(chat, line);
      return line;
    },
    addConnector: async ({ phoneNumber, apiKey, language = 'en' }) => {
      const site = await repositories.sites.create({
        siteKey: `wa-${randomBytes(4).toString('hex')}`,
        name: 'WhatsApp site',
        domain: 'whatsapp.test',
      });
      return repositories.chatConnectors.create({ siteId: site.id, phoneNumber, apiKey, language });
    },
  };
}
