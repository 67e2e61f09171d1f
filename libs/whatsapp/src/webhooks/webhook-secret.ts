import { SecretRepository } from '@switchboard/persistence';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';

/** Where the generated secret is kept when SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET is not set. */
export const WEBHOOK_SECRET_NAME = 'whatsapp.webhook-secret';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The secret TynTec's callback URLs carry; compared in constant time. */
@Injectable()
export class WebhookSecret implements OnModuleInit {
  private expected: Buffer | undefined;

  constructor(
    private readonly secrets: SecretRepository,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret =
      this.settings.webhookSecret ??
      (await this.secrets.getOrCreate(WEBHOOK_SECRET_NAME, () => randomBytes(24).toString('base64url')));
    this.expected = digest(secret);
  }

  /** True when `candidate` is the secret. Both sides are hashed first, so the comparison takes the same time whatever was sent. */
  matches(candidate: unknown): boolean {
    if (typeof candidate !== 'string' || candidate === '' || this.expected === undefined) return false;
    return timingSafeEqual(digest(candidate), this.expected);
  }
}
