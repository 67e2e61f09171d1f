import { PerChatQueue } from './per-chat-queue';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A piece of work that runs until `finish()` is called. */
function held() {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

describe('PerChatQueue', () => {
  it("runs a chat's work in the order given, even when the first is the slowest", async () => {
    const order = new PerChatQueue();
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
    const order = new PerChatQueue();
    const failing = order.run('a', () => Promise.reject(new Error('TynTec down')));
    const next = order.run('a', () => Promise.resolve());
    await expect(failing).rejects.toThrow('TynTec down');
    await expect(next).resolves.toBeUndefined();
  });

  it('makes a producer wait while `limit` pieces are queued, and lets it go when one finishes', async () => {
    const queue = new PerChatQueue(2);
    const first = held();
    void queue.run('a', first.work);
    void queue.run('b', () => Promise.resolve());
    await queue.whenRoom();
    expect(queue.size).toBe(1);
    void queue.run('c', held().work);
    let roomMade = false;
    const room = queue.whenRoom().then(() => (roomMade = true));
    await later(5);
    expect(roomMade).toBe(false);
    first.finish();
    await room;
    expect(queue.size).toBe(1);
  });

  it('drains: resolves once every queued piece, and those queued meanwhile, has finished', async () => {
    const queue = new PerChatQueue();
    const done: string[] = [];
    void queue.run('a', async () => {
      await later(10);
      done.push('a1');
      void queue.run('b', async () => {
        await later(10);
        done.push('b1');
      });
    });
    await queue.drain();
    expect(done).toEqual(['a1', 'b1']);
    expect(queue.busyChats).toBe(0);
  });
});
