import { verifyWebhookSignature, type OutboundWebhookEvent } from '@switchboard/protocol';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, as it arrived. */
export interface ReceivedWebhook {
  readonly event: OutboundWebhookEvent;
  readonly eventIdHeader: string;
  readonly idempotencyKey: string;
  readonly signature: string;
  readonly signatureValid: boolean;
  /** Another request of the same chat was still being answered when this one arrived. */
  readonly overlappedChat: boolean;
}

/** How the receiver answers one event: a status and a body, after a pause. */
export type WebhookAnswerPlan = (
  event: OutboundWebhookEvent,
  attempt: number,
) => {
  status: number;
  body?: string;
  delayMs?: number;
};

/**
 * A real local HTTP endpoint for outbound webhook tests: records every request (signature checked
 * with the secret), answers as `plan` says, and can go down (its port refuses connections) and come
 * back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  plan: WebhookAnswerPlan = () => ({ status: 204 });
  private server: Server | null = null;
  private port = 0;
  private readonly inFlightChats = new Map<string, number>();

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/switchboard?tenant=test`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: deliveries meanwhile fail with a refused connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** The requests for each event id, in arrival order. */
  attemptsOf(eventId: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.event.id === eventId);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const event = JSON.parse(body) as OutboundWebhookEvent;
    const signature = String(request.headers['x-switchboard-signature'] ?? '');
    const inFlight = this.inFlightChats.get(event.chat.uid) ?? 0;
    this.inFlightChats.set(event.chat.uid, inFlight + 1);
    this.received.push({
      event,
      eventIdHeader: String(request.headers['x-switchboard-event-id'] ?? ''),
      idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
      signature,
      signatureValid: verifyWebhookSignature(this.secret, signature, body, Math.floor(Date.now() / 1000)),
      overlappedChat: inFlight > 0,
    });
    const answer = this.plan(event, this.attemptsOf(event.id).length);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    this.inFlightChats.set(event.chat.uid, (this.inFlightChats.get(event.chat.uid) ?? 1) - 1);
    response.writeHead(answer.status, { 'Content-Type': 'application/json' });
    response.end(answer.body ?? '');
  }
}
