import type { ChatConnectorRecord, Repositories } from '@switchboard/persistence';

/** The chat variable naming the connector number a WhatsApp chat came in on (replies go out from it). */
export const CONNECTOR_NUMBER_VARIABLE = 'whatsapp.number';

/** The chat connector a WhatsApp chat came in on, else its site's first; null when there is none. */
export async function chatConnectorOf(
  repositories: Pick<Repositories, 'chatVariables' | 'chatConnectors'>,
  chat: { readonly chatId: number; readonly siteId: number },
): Promise<ChatConnectorRecord | null> {
  const { chatVariables, chatConnectors } = repositories;
  const number = await chatVariables.get(chat.chatId, CONNECTOR_NUMBER_VARIABLE);
  const connector = number === null ? null : await chatConnectors.findByPhoneNumber(number);
  return connector ?? (await chatConnectors.list({ siteId: chat.siteId }))[0] ?? null;
}
