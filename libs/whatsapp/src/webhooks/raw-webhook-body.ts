import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';

/** The webhook paths: `/incoming` and `/delivery`, with or without a secret path segment. */
const WEBHOOK_PATH = /^\/(incoming|delivery)(\/[^/?]*)?(\?|$)/;

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
      if (request.method !== 'POST' || !WEBHOOK_PATH.test(request.url ?? '')) return;
      request.headers[ORIGINAL_CONTENT_TYPE] = request.headers['content-type'] ?? '';
      request.headers['content-type'] = 'application/octet-stream';
    });
  }
}

/**
 * The body's first `limitBytes` (`truncated` when there was more). A body over `hardLimitBytes` is
 * not read to its end: the connection is `closed`.
 */
export async function readBody(
  request: IncomingMessage,
  limitBytes: number,
  hardLimitBytes = limitBytes * 16,
): Promise<{ body: Buffer; truncated: boolean; size: number; closed: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    if (size < limitBytes) chunks.push(buffer);
    size += buffer.length;
    if (size > hardLimitBytes) {
      request.destroy();
      return { body: Buffer.alloc(0), truncated: true, size, closed: true };
    }
  }
  const body = Buffer.concat(chunks);
  return { body: body.subarray(0, limitBytes), truncated: size > limitBytes, size, closed: false };
}
