import { PerChatOrder } from './per-chat-order';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PerChatOrder', () => {
  it("runs a chat's work in the order given, even when the first is the slowest", async () => {
    const order = new PerChatOrder();
    const done: string[] = [];
    await Promise.all([
      order.run('a', async () => {
        await later(20);
        done.push('a1');
      }),
      order.run('a', async () => {
        done.push('a2');
        await Promise.resolve();
      }),
      order.run('b', async () => {
        done.push('b1');
        await Promise.resolve();
      }),
    ]);
    expect(done).toEqual(['b1', 'a1', 'a2']);
    expect(order.busyChats).toBe(0);
  });

  it("goes on with a chat's next work after a failure, and reports the failure to its caller", async () => {
    const order = new PerChatOrder();
    const failing = order.run('a', () => Promise.reject(new Error('TynTec down')));
    const next = order.run('a', () => Promise.resolve());
    await expect(failing).rejects.toThrow('TynTec down');
    await expect(next).resolves.toBeUndefined();
  });
});
