import type { ContextProvider } from './contract-context';
import { makeOperator, makeSite, uniqueName } from './factories';

const hour = 3_600_000;

/** Canned responses, blocked visitors and parameters with their audit trail. */
export function settingsContract(context: ContextProvider): void {
  const repositories = () => context().repositories;

  describe('canned responses', () => {
    it("gives an operator their own and the shared responses, not another operator's", async () => {
      const [owner, other] = [await makeOperator(repositories()), await makeOperator(repositories())];
      const own = await repositories().cannedResponses.create({
        operatorId: owner.id,
        title: 'A own',
        text: 'mine',
      });
      const shared = await repositories().cannedResponses.create({
        title: uniqueName('B shared'),
        text: 'ours',
      });
      await repositories().cannedResponses.create({ operatorId: other.id, title: 'C other', text: 'theirs' });
      const visible = await repositories().cannedResponses.listForOperator(owner.id);
      expect(visible.map((response) => response.id)).toEqual(expect.arrayContaining([own.id, shared.id]));
      expect(visible.filter((response) => response.operatorId !== null)).toEqual([own]);
    });
  });

  describe('blocked visitors', () => {
    it('blocks a visitor key on its site only', async () => {
      const [site, otherSite] = [await makeSite(repositories()), await makeSite(repositories())];
      const visitorKey = uniqueName('visitor');
      await repositories().blockedVisitors.block({ siteId: site.id, visitorKey, blockedBy: 'admin' });
      const blocked = (siteId: number) => repositories().blockedVisitors.isBlocked({ siteId, visitorKey });
      expect([await blocked(site.id), await blocked(otherSite.id)]).toEqual([true, false]);
    });

    it('blocks an IP on every site when no site is given', async () => {
      const site = await makeSite(repositories());
      const ip = `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.7`;
      await repositories().blockedVisitors.block({ ip, blockedBy: 'admin', reason: 'abuse' });
      expect(await repositories().blockedVisitors.isBlocked({ siteId: site.id, ip })).toBe(true);
    });

    it('stops blocking once the block expires', async () => {
      const site = await makeSite(repositories());
      const visitorKey = uniqueName('visitor');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + hour);
      await repositories().blockedVisitors.block(
        { siteId: site.id, visitorKey, blockedBy: 'admin', expiresAt },
        now,
      );
      const blockedAt = (at: Date) =>
        repositories().blockedVisitors.isBlocked({ siteId: site.id, visitorKey }, at);
      expect([await blockedAt(now), await blockedAt(new Date(now.getTime() + 2 * hour))]).toEqual([
        true,
        false,
      ]);
    });

    it('unblocks by id', async () => {
      const site = await makeSite(repositories());
      const visitorKey = uniqueName('visitor');
      const block = await repositories().blockedVisitors.block({
        siteId: site.id,
        visitorKey,
        blockedBy: 'admin',
      });
      await repositories().blockedVisitors.unblock(block.id);
      expect(await repositories().blockedVisitors.isBlocked({ siteId: site.id, visitorKey })).toBe(false);
    });
  });

  describe('parameters', () => {
    it('creates a parameter: the change has no old value', async () => {
      const name = uniqueName('ACD.Chat.Test');
      const change = await repositories().parameters.set(name, '5', 'admin');
      expect(change).toMatchObject({ name, oldValue: null, newValue: '5', changedBy: 'admin' });
      expect(await repositories().parameters.get(name)).toMatchObject({ value: '5', updatedBy: 'admin' });
    });

    it('changes a parameter and writes an audit row per change, old and new values', async () => {
      const name = uniqueName('ACD.Chat.Test');
      await repositories().parameters.set(name, '5', 'admin');
      expect(await repositories().parameters.set(name, '7', 'ops')).toMatchObject({
        oldValue: '5',
        newValue: '7',
      });
      const history = await repositories().parameters.history(name);
      expect(history.map(({ oldValue, newValue, changedBy }) => [oldValue, newValue, changedBy])).toEqual([
        [null, '5', 'admin'],
        ['5', '7', 'ops'],
      ]);
    });

    it('resets a parameter: the stored value goes and the audit row has no new value', async () => {
      const name = uniqueName('ACD.Chat.Test');
      await repositories().parameters.set(name, '5', 'admin');
      expect(await repositories().parameters.reset(name, 'ops')).toMatchObject({
        oldValue: '5',
        newValue: null,
      });
      expect(await repositories().parameters.get(name)).toBeNull();
      expect((await repositories().parameters.history(name)).map(({ newValue }) => newValue)).toEqual([
        '5',
        null,
      ]);
    });
  });
}
