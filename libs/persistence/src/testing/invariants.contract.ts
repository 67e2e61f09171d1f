import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator, makeSite, uniqueName } from './factories';

/** Sizes of the races; on MariaDB they run over a connection pool, on SQLite through the write queue. */
export interface RaceSizes {
  /** Concurrent appends to one chat. */
  appends: number;
  /** Operators racing for one chat. */
  pickers: number;
  /** Concurrent opens by one visitor. */
  opens: number;
}

const sequence = (length: number) => Array.from({ length }, (_, index) => index + 1);

/** The invariants the database decides (DESIGN.md "Where invariants live"), under concurrent callers. */
export function invariantsContract(context: ContextProvider, sizes: RaceSizes): void {
  const repositories = () => context().repositories;

  describe('invariants under concurrency', () => {
    it(`numbers ${sizes.appends} concurrent lines of one chat 1..${sizes.appends}, no gap, no duplicate`, async () => {
      const chat = await makeChat(repositories());
      await Promise.all(
        sequence(sizes.appends).map((index) =>
          repositories().chatLines.append(chat.id, {
            senderKind: 'visitor',
            senderName: 'V',
            text: `line ${index}`,
          }),
        ),
      );
      const lines = await repositories().chatLines.listSince(chat.id, 0, sizes.appends + 10);
      expect(lines.map((line) => line.sequence)).toEqual(sequence(sizes.appends));
    });

    it(`assigns a chat once when ${sizes.pickers} operators pick it up at the same moment`, async () => {
      const chat = await makeChat(repositories());
      const operators = await Promise.all(sequence(sizes.pickers).map(() => makeOperator(repositories())));
      const results = await Promise.all(
        operators.map((operator) => repositories().chats.assignOnce(chat.id, operator.id)),
      );
      const counters = await Promise.all(
        operators.map(async (operator) => (await repositories().operators.findById(operator.id))?.openChats),
      );
      expect([
        results.filter((result) => result.assigned).length,
        counters.reduce((sum = 0, count = 0) => sum + count, 0),
      ]).toEqual([1, 1]);
    });

    it(`keeps an operator within max chats 3 when ${sizes.pickers} chats are assigned to them at once`, async () => {
      const { id: siteId } = await makeSite(repositories());
      const operator = await makeOperator(repositories(), { maxChats: 3 });
      const chats = await Promise.all(
        sequence(sizes.pickers).map(() => makeChat(repositories(), { siteId })),
      );
      const results = await Promise.all(
        chats.map((chat) => repositories().chats.assignOnce(chat.id, operator.id)),
      );
      const assigned = await repositories().chats.list({ operatorId: operator.id, states: ['active'] });
      expect([results.filter((result) => result.assigned).length, assigned.length]).toEqual([3, 3]);
      expect((await repositories().operators.findById(operator.id))?.openChats).toBe(3);
    });

    it(`keeps one open chat when one visitor opens ${sizes.opens} at once`, async () => {
      const { id: siteId } = await makeSite(repositories());
      const visitorKey = uniqueName('visitor');
      const results = await Promise.all(
        sequence(sizes.opens).map(() =>
          repositories().chats.open({ siteId, channel: 'whatsapp', visitorKey }),
        ),
      );
      expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map((result) => result.chat.id)).size).toBe(1);
    });

    it(`gives ${sizes.opens} concurrent first callers of one secret the same value`, async () => {
      const name = uniqueName('secret');
      const values = await Promise.all(
        sequence(sizes.opens).map((index) =>
          repositories().secrets.getOrCreate(name, () => `value ${index}`),
        ),
      );
      expect(new Set(values).size).toBe(1);
    });

    it('chains the audit trail when one parameter is set concurrently (each old value is the previous new value)', async () => {
      const name = uniqueName('ACD.Chat.Race');
      await Promise.all(
        sequence(sizes.pickers).map((value) => repositories().parameters.set(name, String(value), 'race')),
      );
      const history = await repositories().parameters.history(name);
      const chained = history.every(
        (change, index) => change.oldValue === (history[index - 1]?.newValue ?? null),
      );
      expect([history.length, chained]).toEqual([sizes.pickers, true]);
    });
  });
}
