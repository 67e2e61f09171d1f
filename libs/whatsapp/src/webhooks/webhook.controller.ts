import { Controller, Post, Req, Res } from '@nestjs/common';
import type { WebhookKind } from '@switchboard/persistence';
import { isE164 } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import { isWebhookPath, readBody } from './raw-webhook-body';
import { WebhookIntake } from './webhook-intake.service';
import { WebhookSecret } from './webhook-secret';

/** The largest body kept: TynTec's bodies are a few KB (a text is at most 4096 characters). */
export const WEBHOOK_BODY_LIMIT = 60_000;

/**
 * TynTec's callbacks: `POST /incoming` (customer messages) and `POST /delivery` (statuses, group
 * events). The secret comes as `?secret=` or as the last path segment (`/incoming/<secret>`);
 * `?connector=<number>` names the chat connector of messages without `to`.
 */
@Controller()
export class WebhookController {
  constructor(
    private readonly intake: WebhookIntake,
    private readonly secret: WebhookSecret,
  ) {}

  @Post(['incoming', 'incoming/:secret'])
  incoming(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.receive('incoming', request, response);
  }

  @Post(['delivery', 'delivery/:secret'])
  delivery(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.receive('delivery', request, response);
  }

  private async receive(kind: WebhookKind, request: Request, response: Response): Promise<void> {
    // Express matches `/INCOMING` too, but the raw-body hook does not keep its body: not a webhook route.
    if (!isWebhookPath(request.originalUrl)) {
      request.resume();
      response.status(404).json({ message: 'Not found: the webhook paths are /incoming and /delivery.' });
      return;
    }
    const secret: unknown = request.params.secret ?? request.query.secret;
    if (!this.secret.matches(secret)) {
      request.resume();
      const answer = this.intake.refuse(kind, request.socket.remoteAddress);
      response
        .status(answer.status)
        .json({ outcome: answer.outcome, message: 'Missing or wrong webhook secret.' });
      return;
    }
    const connector = connectorNumberOf(request.query.connector);
    if (connector === false) {
      request.resume();
      response.status(400).json({
        outcome: 'bad-request',
        message: 'The connector parameter must be one E.164 number, e.g. ?connector=4930123456.',
      });
      return;
    }
    const { body, truncated, tooLarge, closed, size } = await readBody(request, WEBHOOK_BODY_LIMIT);
    if (tooLarge) {
      const answer = this.intake.tooLarge(kind, size, closed, request.socket.remoteAddress);
      if (!closed)
        response.status(answer.status).json({
          outcome: answer.outcome,
          message: `Bodies over ${WEBHOOK_BODY_LIMIT * 16} bytes are refused.`,
        });
      return;
    }
    const answer = await this.intake.accept(kind, body, truncated, connector);
    if (answer.status === 503) response.setHeader('retry-after', '5');
    response
      .status(answer.status)
      .json({ outcome: answer.outcome, ...(answer.detail ? { detail: answer.detail } : {}) });
  }
}

/** `?connector=`: the number's digits, null when absent, false when it is not one E.164 number. */
function connectorNumberOf(parameter: unknown): string | null | false {
  if (parameter === undefined) return null;
  if (typeof parameter !== 'string' || !isE164(parameter)) return false;
  return parameter.replace(/^\+/, '');
}
