import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';

/**
 * The webhook paths: `/incoming` and `/delivery`, with or without a secret path segment, exactly so
 * spelled (the controller refuses what Express's case-insensitive routing lets through otherwise).
 */
const WEBHOOK_PATH = /^\/(incoming|delivery)(\/[^/?]*)?\/?(\?|$)/;

/** True for a URL the raw-body hook keeps raw, and so the only ones the webhook controller serves. */
export const isWebhookPath = (url: string): boolean => WEBHOOK_PATH.test(url);

/** The header the original content type is kept in. */
export const ORIGINAL_CONTENT_TYPE = 'x-switchboard-content-type';

/**
 * Keeps the body of a webhook raw for the controller: the connector stores exactly what TynTec sent,
 * and must answer a malformed body itself (2xx + dead letter) instead of the framework's JSON parser
 * answering 400, which TynTec would retry for 14 days. note: the parser is registered before any
 * module middleware, so the content type is renamed as the request arrives, and the parser skips it.
 */
@Injectable()
export class RawWebhookBody implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.prependListener('request', (request: IncomingMessage) => {
      if (request.method !== 'POST' || !isWebhookPath(request.url ?? '')) return;
      request.headers[ORIGINAL_CONTENT_TYPE] = request.headers['content-type'] ?? '';
      request.headers['content-type'] = 'application/octet-stream';
    });
  }
}

/** What {@link readBody} read. */
export interface ReadBody {
  /** The first `limitBytes`. */
  readonly body: Buffer;
  /** There was more than `limitBytes`. */
  readonly truncated: boolean;
  /** Over `hardLimitBytes`: read to its end and thrown away, to be answered 413. */
  readonly tooLarge: boolean;
  /** Over `drainLimitBytes`: the connection was closed without an answer. */
  readonly closed: boolean;
  readonly size: number;
}

/**
 * The body's first `limitBytes` (`truncated` when there was more). A body over `hardLimitBytes` is
 * `tooLarge`: the rest is read and dropped, so the 413 reaches the caller — a server that closes the
 * connection with unread data makes the kernel reset it, and HAProxy answers 502 instead. Only a
 * body over `drainLimitBytes` has its connection `closed` while it is still arriving.
 */
export async function readBody(
  request: IncomingMessage,
  limitBytes: number,
  hardLimitBytes = limitBytes * 16,
  drainLimitBytes = 64 * 1024 * 1024,
): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    if (size < limitBytes) chunks.push(buffer);
    size += buffer.length;
    if (size > drainLimitBytes) {
      request.destroy();
      return { body: Buffer.alloc(0), truncated: true, tooLarge: true, closed: true, size };
    }
  }
  const tooLarge = size > hardLimitBytes;
  const body = tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks).subarray(0, limitBytes);
  return { body, truncated: size > limitBytes, tooLarge, closed: false, size };
}
