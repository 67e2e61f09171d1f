import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator, makeSite, uniqueName } from './factories';

/** What the admin interface relies on: guarded deletes, operator updates, the audit trail, chat figures. */
export function adminContract(context: ContextProvider): void {
  describe('admin operations', () => {
    it('deletes a site with its ended chats, and refuses while one is open (deleting nothing)', async () => {
      const { repositories } = context();
      const site = await makeSite(repositories);
      const ended = await makeChat(repositories, { siteId: site.id });
      await repositories.chats.close(ended.id, 'VC');
      const open = await makeChat(repositories, { siteId: site.id });
      expect(await repositories.sites.deleteUnlessOpenChats(site.id)).toEqual({
        deleted: false,
        openChats: 1,
        connectorNumbers: [],
      });
      expect(await repositories.chats.findById(ended.id)).not.toBeNull();
      await repositories.chats.close(open.id, 'VC');
      expect(await repositories.sites.deleteUnlessOpenChats(site.id)).toEqual({
        deleted: true,
        openChats: 0,
        connectorNumbers: [],
      });
      expect(await repositories.sites.findById(site.id)).toBeNull();
      expect(await repositories.chats.findById(ended.id)).toBeNull();
    });

    it('deletes an operator only when they hold no open chat', async () => {
      const { repositories } = context();
      const operator = await makeOperator(repositories);
      const chat = await makeChat(repositories);
      await repositories.chats.assignOnce(chat.id, operator.id);
      expect(await repositories.operators.deleteUnlessChatting(operator.id)).toEqual({
        deleted: false,
        openChats: 1,
      });
      await repositories.chats.close(chat.id, 'OC');
      expect(await repositories.operators.deleteUnlessChatting(operator.id)).toEqual({
        deleted: true,
        openChats: 0,
      });
    });

    it('updates an operator in one transaction, skills replaced whole', async () => {
      const { repositories } = context();
      const skill = await repositories.skills.create(uniqueName('skill'));
      const operator = await makeOperator(repositories);
      const updated = await repositories.operators.update(operator.id, {
        maxChats: 5,
        skillIds: [skill.id],
        password: 'new password',
      });
      expect(updated).toMatchObject({ maxChats: 5, skills: [skill.name] });
      expect(
        await repositories.operators.verifyCredentials(operator.username, 'new password'),
      ).not.toBeNull();
      expect(await repositories.operators.update(999_999, { maxChats: 1 })).toBeNull();
    });

    it('keeps the audit trail newest first, values as JSON', async () => {
      const { adminAudit } = context().repositories;
      const key = uniqueName('site');
      const change = { actor: 'carol', remoteAddress: '127.0.0.1', targetKind: 'site', targetKey: key };
      await adminAudit.record({ ...change, action: 'site.create', newValue: { name: 'A' } });
      await adminAudit.record({
        ...change,
        action: 'site.update',
        oldValue: { name: 'A' },
        newValue: { name: 'B' },
      });
      expect(await adminAudit.list({ targetKind: 'site', targetKey: key })).toEqual([
        expect.objectContaining({
          action: 'site.update',
          oldValue: '{"name":"A"}',
          newValue: '{"name":"B"}',
        }),
        expect.objectContaining({ action: 'site.create', oldValue: null, newValue: '{"name":"A"}' }),
      ]);
    });

    it('counts chats by state and per site, with the oldest waiting chat', async () => {
      const { repositories } = context();
      const site = await makeSite(repositories);
      const before = await repositories.chatStatistics.countByState();
      await makeChat(repositories, { siteId: site.id });
      await makeChat(repositories, { siteId: site.id });
      const after = await repositories.chatStatistics.countByState();
      expect(after.waiting - before.waiting).toBe(2);
      const figures = (await repositories.chatStatistics.figuresBySite()).find(
        (entry) => entry.siteId === site.id,
      );
      expect(figures?.byState.waiting).toBe(2);
      expect(Math.abs(Date.now() - (figures?.oldestWaitingSince?.getTime() ?? 0))).toBeLessThan(60_000);
    });
  });
}
