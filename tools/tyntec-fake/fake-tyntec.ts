import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applicationPatchSchema,
  describeIssues,
  isHttpsUrl,
  markReadRequestSchema,
  sendMessageRequestSchema,
  type MessageStatus,
  type SendMessageRequest,
  type Webhook,
} from '@switchboard/protocol';
import { postWebhook, type WebhookAttempt } from './webhook-sender';

export interface FakeTyntecOptions {
  /** The key every API call must carry in the `apikey` header. @default 'test-api-key' */
  readonly apiKey?: string;
  /** Accept `http:` callback URLs in PATCH applications/default (local tests only). @default false */
  readonly allowHttpCallbacks?: boolean;
  /** Webhook retries on a non-2xx answer (TynTec: 2 for statuses). @default 2 */
  readonly webhookRetries?: number;
  /** @default 50 */
  readonly retryDelayMs?: number;
  /** Pause before each status callback. @default 10 */
  readonly statusDelayMs?: number;
  /** How long a late answer (`answerLateNext`) waits after accepting. @default 3000 */
  readonly lateAnswerMs?: number;
}

const DEFAULTS: Required<FakeTyntecOptions> = {
  apiKey: 'test-api-key',
  allowHttpCallbacks: false,
  webhookRetries: 2,
  retryDelayMs: 50,
  statusDelayMs: 10,
  lateAnswerMs: 3000,
};

/** Misbehaviour switches, set through `POST /__fake/misbehave` or `misbehave()`. */
export interface Misbehaviour {
  /** Answer `failStatus` to the next N sends (nothing is accepted). */
  failNextSends?: number;
  /** @default 503 */
  failStatus?: number;
  /**
   * Accept the next N sends (recorded, statuses posted as usual) and answer each only after
   * `lateAnswerMs`: after the client's timeout, as a TynTec that accepted but answered late.
   */
  answerLateNext?: number;
  /** Accept the next N sends (recorded, statuses posted) and close the connection without an answer. */
  dropAfterAcceptNext?: number;
  /** Keep status callbacks back until `releaseStatuses()` (a TynTec whose webhooks are late). */
  holdStatuses?: boolean;
  /** Delay every API answer this long. */
  delayMs?: number;
  /** Post every status callback twice. */
  duplicateStatuses?: boolean;
  /** Post statuses seen, accepted, delivered instead of accepted, delivered, seen. */
  outOfOrderStatuses?: boolean;
}

export interface SentMessage {
  readonly messageId: string;
  readonly acceptedAt: string;
  readonly request: SendMessageRequest;
}

const SEND_STATUSES: readonly MessageStatus[] = ['accepted', 'delivered', 'seen'];
const API = '/chat-api/v2';

/** A local TynTec Conversations API v2 (WhatsApp) for tests and demos. */
export class FakeTyntec {
  private readonly options: Required<FakeTyntecOptions>;
  private server?: Server;
  private webhooks: Webhook[] = [];
  private misbehaviour: Misbehaviour = {};
  private readonly pending = new Set<Promise<void>>();
  private held: (() => void)[] = [];
  readonly sent: SentMessage[] = [];
  readonly markedRead: string[] = [];
  readonly webhookAttempts: WebhookAttempt[] = [];
  readonly media = new Map<string, { readonly contentType: string; readonly data: Buffer }>();

  constructor(options: FakeTyntecOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Listens on `port` (0: any free port) on 127.0.0.1; resolves the base URL `http://127.0.0.1:<port>`. */
  async start({ port = 0, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<string> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        problem(response, 500, 'Internal Server Error', String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return this.baseUrl;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('FakeTyntec is not started');
    return `http://${address.address}:${address.port}`;
  }

  /** Waits for the webhooks under way, then closes the server. */
  async stop(): Promise<void> {
    this.releaseStatuses();
    await this.settled();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once every webhook (with its retries) has been posted. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  misbehave(switches: Misbehaviour): void {
    this.misbehaviour = { ...this.misbehaviour, ...switches };
  }

  /** Posts the status callbacks held back by `holdStatuses` (and stops holding them). */
  releaseStatuses(): void {
    this.misbehaviour.holdStatuses = false;
    const held = this.held;
    this.held = [];
    for (const release of held) release();
  }

  /** The configured webhooks, as GET applications/default answers them. */
  get application(): { id: string; name: string; webhooks: Webhook[] } {
    return { id: 'default', name: 'Default Application', webhooks: this.webhooks };
  }

  /** Posts an inbound `MoMessage` to the callback of `MoMessage`; fills messageId, event, channel. */
  injectInbound(message: Record<string, unknown>): Record<string, unknown> {
    const body = { messageId: randomUUID(), event: 'MoMessage', channel: 'whatsapp', ...message };
    this.track(this.post('MoMessage', body));
    return body;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readJson(request);
    if (url.pathname.startsWith('/__fake/')) return this.handleControl(url.pathname, body, response);
    if (this.misbehaviour.delayMs) await sleep(this.misbehaviour.delayMs);
    if (request.headers.apikey !== this.options.apiKey) {
      return problem(response, 401, 'Unauthorized', 'missing or wrong apikey header');
    }
    const route = `${request.method ?? ''} ${url.pathname}`;
    if (route === `POST ${API}/messages`) return this.send(body, response);
    if (route === `GET ${API}/applications/default`) return json(response, 200, this.application);
    if (route === `PATCH ${API}/applications/default`) return this.patchApplication(body, response);
    const media = new RegExp(`^GET ${API}/media/([^/]+)$`).exec(route);
    if (media) return this.serveMedia(decodeURIComponent(media[1]), response);
    const read = new RegExp(`^PUT ${API}/channels/whatsapp/messages/([^/]+)$`).exec(route);
    if (read) {
      const parsed = markReadRequestSchema.safeParse(body);
      if (!parsed.success)
        return problem(response, 400, 'Bad Request', describeIssues(parsed.error).join('; '));
      this.markedRead.push(decodeURIComponent(read[1]));
      return end(response, 200);
    }
    return problem(response, 404, 'Not Found', `no route ${route}`);
  }

  private send(body: unknown, response: ServerResponse): void {
    if (this.takeOne('failNextSends')) {
      const status = this.misbehaviour.failStatus ?? 503;
      return problem(response, status, 'Failing on request', 'failing on request (misbehave)');
    }
    const parsed = sendMessageRequestSchema.safeParse(body);
    if (!parsed.success)
      return problem(response, 400, 'Bad Request', describeIssues(parsed.error).join('; '));
    const accepted = { messageId: randomUUID(), acceptedAt: new Date().toISOString() };
    this.sent.push({ ...accepted, request: parsed.data });
    if (this.takeOne('dropAfterAcceptNext')) response.socket?.destroy();
    else if (this.takeOne('answerLateNext'))
      this.track(
        sleep(this.options.lateAnswerMs).then(() => {
          if (!response.destroyed) json(response, 202, accepted);
        }),
      );
    else json(response, 202, accepted);
    this.track(this.postStatuses(accepted.messageId, parsed.data.context?.userContext));
  }

  /** Counts down a misbehaviour that applies to the next N sends; true when this send is one of them. */
  private takeOne(name: 'failNextSends' | 'answerLateNext' | 'dropAfterAcceptNext'): boolean {
    const left = this.misbehaviour[name] ?? 0;
    if (left <= 0) return false;
    this.misbehaviour[name] = left - 1;
    return true;
  }

  private async postStatuses(messageId: string, userContext: string | undefined): Promise<void> {
    if (this.misbehaviour.holdStatuses) await new Promise<void>((release) => this.held.push(release));
    const order = this.misbehaviour.outOfOrderStatuses ? ['seen', 'accepted', 'delivered'] : SEND_STATUSES;
    for (const status of order) {
      await sleep(this.options.statusDelayMs);
      const event = `MessageStatus::${status}`;
      const body = {
        event,
        messageId,
        channel: 'whatsapp',
        timestamp: new Date().toISOString(),
        ...(userContext === undefined ? {} : { userContext }),
      };
      await this.post(event, body);
      if (this.misbehaviour.duplicateStatuses) await this.post(event, body);
    }
  }

  private patchApplication(body: unknown, response: ServerResponse): void {
    const parsed = applicationPatchSchema.safeParse(body);
    if (!parsed.success)
      return problem(response, 400, 'Bad Request', describeIssues(parsed.error).join('; '));
    const insecure = parsed.data.webhooks.find((webhook) => !isHttpsUrl(webhook.callbackUrl));
    if (insecure && !this.options.allowHttpCallbacks) {
      return problem(response, 400, 'Bad Request', `callbackUrl must be https: ${insecure.callbackUrl}`);
    }
    // Merge by event type: a patched event moves to its new webhook, the others stay.
    const patched = new Set(parsed.data.webhooks.flatMap((webhook) => webhook.events));
    const kept = this.webhooks
      .map((webhook) => ({ ...webhook, events: webhook.events.filter((event) => !patched.has(event)) }))
      .filter((webhook) => webhook.events.length > 0);
    this.webhooks = [...kept, ...parsed.data.webhooks];
    end(response, 204);
  }

  private serveMedia(mediaId: string, response: ServerResponse): void {
    const media = this.media.get(mediaId);
    if (!media) return problem(response, 404, 'Not Found', `no media ${mediaId}`);
    response.writeHead(200, { 'content-type': media.contentType, 'content-length': media.data.length });
    response.end(media.data);
  }

  private handleControl(path: string, body: unknown, response: ServerResponse): void {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    switch (path) {
      case '/__fake/inbound':
        return json(response, 202, this.injectInbound(input));
      case '/__fake/misbehave':
        this.misbehave(input);
        return json(response, 200, this.misbehaviour);
      case '/__fake/release-statuses':
        this.releaseStatuses();
        return json(response, 200, this.misbehaviour);
      case '/__fake/sent':
        return json(response, 200, {
          sent: this.sent,
          markedRead: this.markedRead,
          webhooks: this.webhookAttempts,
        });
      case '/__fake/media': {
        const mediaId = typeof input.mediaId === 'string' ? input.mediaId : randomUUID();
        const data = Buffer.from(typeof input.base64 === 'string' ? input.base64 : '', 'base64');
        const contentType =
          typeof input.contentType === 'string' ? input.contentType : 'application/octet-stream';
        this.media.set(mediaId, { contentType, data });
        return json(response, 201, { mediaId });
      }
      default:
        return problem(response, 404, 'Not Found', `no control route ${path}`);
    }
  }

  private async post(event: string, body: unknown): Promise<void> {
    const webhook = this.webhooks.find((candidate) => candidate.events.includes(event));
    if (!webhook) return;
    const { webhookRetries: retries, retryDelayMs } = this.options;
    await postWebhook(webhook.callbackUrl, body, { retries, retryDelayMs }, (attempt) =>
      this.webhookAttempts.push(attempt),
    );
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function end(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}

function problem(response: ServerResponse, status: number, title: string, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: 'about:blank', status, title, detail }));
}
