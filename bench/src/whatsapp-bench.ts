// The WhatsApp part of `npm run bench`: TynTec webhooks through HAProxy into the connector (answered,
// stored, then routed into chats), and agents' replies from socket.io to the fake TynTec's 202.
import type { Repositories } from '@switchboard/persistence';
import { AGENT_NAMESPACE, type Ack } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { ratePerSecond, summarize, type LatencySummary } from './stats';

const BUSINESS = '4930999000';
const CUSTOMERS = 200;

export interface WhatsappBenchOptions {
  readonly wsUrl: string;
  readonly tyntecUrl: string;
  readonly clusterDir: string;
  readonly dataSource: DataSource;
  readonly repositories: Repositories;
  readonly siteId: number;
  readonly measureMs: number;
  /** Webhooks in flight at once (TynTec's senders). */
  readonly concurrency: number;
  readonly replies: number;
}

export interface WhatsappBenchResult {
  readonly webhooks: number;
  readonly errors: number;
  /** 2xx answers per second during the window (each one stored first). */
  readonly answeredPerSecond: number;
  readonly answer: LatencySummary;
  /** Webhooks per second from the first post until every one was processed (chat line + queue.added). */
  readonly storedAndRoutedPerSecond: number;
  readonly drainSeconds: number;
  readonly replyToAccept: LatencySummary;
}

/** The customers of the reply phase: numbers the inbound phase never uses. */
const replyCustomer = (index: number) => `49177${String(100000 + index)}`;

const body = (index: number, from = `49176${String(100000 + (index % CUSTOMERS))}`) =>
  JSON.stringify({
    messageId: randomUUID(),
    event: 'MoMessage',
    from,
    to: BUSINESS,
    channel: 'whatsapp',
    timestamp: new Date().toISOString().slice(0, 19),
    content: { contentType: 'text', text: `bench message ${index}` },
    whatsapp: { senderName: `Bench ${index % CUSTOMERS}` },
  });

async function ask(socket: Socket, event: string, payload: unknown): Promise<void> {
  const answer = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<object>;
  if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
}

/** Chats of the reply phase. */
const REPLY_CHATS = 20;

/** Waits until every customer's WhatsApp chat is open and not yet taken (routing may be offering it). */
async function waitForOpenChats(repositories: Repositories, customers: ReadonlySet<string>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const chats = (await repositories.chats.list({ states: ['waiting', 'queued', 'offered'] })).filter(
      (chat) => chat.channel === 'whatsapp' && customers.has(chat.visitorKey),
    );
    if (chats.length === customers.size) return chats;
    if (Date.now() > deadline)
      throw new Error(`reply phase: ${chats.length} of ${customers.size} WhatsApp chats opened in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the webhook inbox has had nothing to process for 2 s (at most 60 s). */
async function untilInboxQuiet(dataSource: DataSource): Promise<void> {
  const deadline = Date.now() + 60_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if ((await unprocessed(dataSource)) > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 2000) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function unprocessed(dataSource: DataSource): Promise<number> {
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(
    'SELECT COUNT(*) AS n FROM webhook_inbox WHERE processed_at IS NULL',
  );
  return Number(n);
}

/** Posts webhooks for `measureMs` with `concurrency` in flight; then an agent replies and the fake's 202s are timed. */
export async function benchWhatsapp(options: WhatsappBenchOptions): Promise<WhatsappBenchResult> {
  const { repositories, dataSource } = options;
  const secret = readFileSync(join(options.clusterDir, 'whatsapp-webhook-secret'), 'utf8').trim();
  const apiKey = readFileSync(join(options.clusterDir, 'tyntec-api-key'), 'utf8').trim();
  await repositories.chatConnectors.create({
    siteId: options.siteId,
    phoneNumber: BUSINESS,
    apiKey,
    language: 'en',
  });
  const url = `${options.wsUrl}/incoming?secret=${encodeURIComponent(secret)}`;

  // 1. Inbound: closed loop, `concurrency` webhooks in flight, each timed to its answer.
  const samples: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.measureMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const at = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(sent++),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.status === 200) samples.push(performance.now() - at);
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const windowMs = performance.now() - started;
  while ((await unprocessed(dataSource)) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  const drainMs = performance.now() - started;

  // 2. Replies: an agent takes chats and answers; timed from the socket.io send to TynTec's 202.
  // note: the inbound phase's chats were refused (OF, nobody online): their automatic answers bring
  // status webhooks back from the fake for a while; the replies are timed once the inbox is quiet.
  await untilInboxQuiet(dataSource);
  const username = `bench-wa-${randomUUID().slice(0, 8)}`;
  await repositories.operators.create({
    username,
    displayName: 'WA Bench',
    password: 'bench-password',
    maxChats: 100,
  });
  const agent = io(`${options.wsUrl}${AGENT_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
  const replyToAccept: number[] = [];
  try {
    // note: the agent is online before its customers write: with nobody online routing refuses a
    // chat (OF), so the chats of the inbound phase are not the ones answered here.
    await ask(agent, 'agent:login', { username, password: 'bench-password' });
    await ask(agent, 'agent:status', { status: 1 });
    const customers = Array.from({ length: REPLY_CHATS }, (_, index) => replyCustomer(index));
    for (const [index, from] of customers.entries()) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(index, from),
      });
      if (response.status !== 200) throw new Error(`reply phase: webhook answered ${response.status}`);
    }
    const chats = await waitForOpenChats(repositories, new Set(customers));
    for (const chat of chats) await ask(agent, 'chat:pickup', { chatUid: chat.chatUid });
    const sentAt = new Map<string, number>();
    for (let index = 0; index < options.replies && chats.length > 0; index += 1) {
      const text = `bench reply ${index} ${randomUUID()}`;
      sentAt.set(text, Date.now());
      await ask(agent, 'chat:send', {
        chatUid: chats[index % chats.length].chatUid,
        text,
        clientMessageId: randomUUID(),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const replyDeadline = Date.now() + 30_000;
    for (;;) {
      const log = (await (await fetch(`${options.tyntecUrl}/__fake/sent`, { method: 'POST' })).json()) as {
        sent: Array<{ acceptedAt: string; request: { whatsapp: { text?: string } } }>;
      };
      const accepted = log.sent.filter((message) => sentAt.has(message.request.whatsapp.text ?? ''));
      if (accepted.length === sentAt.size || Date.now() > replyDeadline) {
        for (const message of accepted)
          replyToAccept.push(Date.parse(message.acceptedAt) - sentAt.get(message.request.whatsapp.text!)!);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    agent.disconnect();
  }
  return {
    webhooks: samples.length + errors,
    errors,
    answeredPerSecond: ratePerSecond(samples.length, windowMs),
    answer: summarize(samples),
    storedAndRoutedPerSecond: ratePerSecond(samples.length, drainMs),
    drainSeconds: drainMs / 1000,
    replyToAccept: summarize(replyToAccept),
  };
}
