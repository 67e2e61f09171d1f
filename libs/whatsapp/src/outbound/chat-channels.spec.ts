import type { ChatRecord, Repositories } from '@switchboard/persistence';
import { ChatChannels } from './chat-channels';

function chatsWith(records: Record<string, Pick<ChatRecord, 'id' | 'channel'>>) {
  const reads: string[] = [];
  const chats = {
    findByUid: (chatUid: string) => {
      reads.push(chatUid);
      return Promise.resolve((records[chatUid] as ChatRecord | undefined) ?? null);
    },
  } as unknown as Repositories['chats'];
  return { channels: new ChatChannels(chats), reads };
}

describe('ChatChannels', () => {
  it('reads each chat once, however many of its lines come', async () => {
    const { channels, reads } = chatsWith({
      web: { id: 1, channel: 'web' },
      wa: { id: 2, channel: 'whatsapp' },
    });
    for (let line = 0; line < 3; line++) {
      expect(await channels.whatsappChat('web')).toBeNull();
      expect(await channels.whatsappChat('wa')).toEqual({ id: 2 });
    }
    expect(reads).toEqual(['web', 'wa']);
  });

  it('asks again for a chat it did not find', async () => {
    const { channels, reads } = chatsWith({});
    expect(await channels.whatsappChat('missing')).toBeNull();
    expect(await channels.whatsappChat('missing')).toBeNull();
    expect(reads).toEqual(['missing', 'missing']);
  });
});
