import { Injectable } from '@nestjs/common';
import { ChatEvents } from '@switchboard/chat';
import { ParameterService } from '@switchboard/config';

type Side = 'visitor' | 'operator';

/** A chat side's open window: the state last published, and the latest one asked for since. */
interface Window {
  published: boolean;
  pending?: boolean;
}

/**
 * Typing notices are written to the shared cluster stream, so they are coalesced per chat and side:
 * the first of a window is published at once, later ones only remember the latest state, which is
 * published when the window ends if it differs (ACD.Chat.Typing.Coalesce.Milliseconds). A window
 * lives only while notices arrive.
 */
@Injectable()
export class TypingCoalescer {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly publisher: ChatEvents,
    private readonly parameters: ParameterService,
  ) {}

  async typing(chatUid: string, by: Side, typing: boolean): Promise<void> {
    const key = `${chatUid}:${by}`;
    const window = this.windows.get(key);
    if (window) {
      window.pending = typing;
      return;
    }
    await this.publishAndWait(key, chatUid, by, typing);
  }

  private async publishAndWait(key: string, chatUid: string, by: Side, typing: boolean): Promise<void> {
    const windowMs = this.parameters.get('ACD.Chat.Typing.Coalesce.Milliseconds');
    if (windowMs > 0) {
      const window: Window = { published: typing };
      this.windows.set(key, window);
      setTimeout(() => this.close(key, chatUid, by, window), windowMs).unref();
    }
    await this.publisher.typing(chatUid, by, typing);
  }

  private close(key: string, chatUid: string, by: Side, window: Window): void {
    this.windows.delete(key);
    if (window.pending !== undefined && window.pending !== window.published)
      void this.publishAndWait(key, chatUid, by, window.pending);
  }
}
