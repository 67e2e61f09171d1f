import { AsyncLocalStorage } from 'node:async_hooks';

const chatContext = new AsyncLocalStorage<string>();

/** Runs `work` with every log line it writes (awaited work included) carrying `chat: chatUid`. */
export function withChatLog<T>(chatUid: string, work: () => T): T {
  return chatContext.run(chatUid, work);
}

/** The chat uid the current work runs for, if any (pino's mixin adds it to each line). */
export function currentChatUid(): string | undefined {
  return chatContext.getStore();
}
