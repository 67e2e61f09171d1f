import { PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { OperatorStatus } from '../operators/operator-status';
import type { Repositories } from '../repositories';
import type { ContextProvider } from './contract-context';
import { makeOperator, makeSite, testPassword, uniqueName } from './factories';

const invalidValue = expect.objectContaining({ code: PersistenceErrorCode.InvalidValue }) as PersistenceError;

/** Sites, work periods, skills, user groups and operators. */
export function directoryContract(context: ContextProvider): void {
  const repositories = () => context().repositories;

  describe('sites', () => {
    it('creates a site with the column defaults and finds it by key', async () => {
      const site = await makeSite(repositories());
      expect(await repositories().sites.findByKey(site.siteKey)).toEqual({
        ...site,
        paused: false,
        timeZone: 'UTC',
        chatTemplate: null,
        offlineMessage: null,
        textRules: null,
        textRuleMessage: null,
      });
    });

    it('refuses a second site with the same key (unique key)', async () => {
      const site = await makeSite(repositories());
      const duplicate = makeSite(repositories(), { siteKey: site.siteKey });
      await expect(duplicate.catch((error: unknown) => isUniqueViolation(error))).resolves.toBe(true);
    });

    it('refuses a time zone that is not IANA', async () => {
      await expect(makeSite(repositories(), { timeZone: 'Mars/Olympus' })).rejects.toEqual(invalidValue);
    });

    it('pauses and resumes a site by key', async () => {
      const site = await makeSite(repositories());
      expect(await repositories().sites.setPaused(site.siteKey, true)).toBe(true);
      expect((await repositories().sites.findById(site.id))?.paused).toBe(true);
    });

    it('updates the changeable fields', async () => {
      const site = await makeSite(repositories());
      const updated = await repositories().sites.update(site.id, {
        timeZone: 'Europe/Berlin',
        offlineMessage: 'Closed',
        textRules: ['shut up', "don't"],
        textRuleMessage: 'Be polite.',
      });
      expect(updated).toMatchObject({
        timeZone: 'Europe/Berlin',
        offlineMessage: 'Closed',
        textRules: ['shut up', "don't"],
        textRuleMessage: 'Be polite.',
        siteKey: site.siteKey,
      });
    });
  });

  describe('work periods', () => {
    it("lists a site's periods by day and start", async () => {
      const { id: siteId } = await makeSite(repositories());
      await repositories().workPeriods.add({ siteId, dayOfWeek: 2, startMinute: 540, endMinute: 1020 });
      await repositories().workPeriods.add({ siteId, dayOfWeek: 1, startMinute: 780, endMinute: 1020 });
      await repositories().workPeriods.add({ siteId, dayOfWeek: 1, startMinute: 540, endMinute: 720 });
      const periods = await repositories().workPeriods.listForSite(siteId);
      expect(periods.map(({ dayOfWeek, startMinute }) => [dayOfWeek, startMinute])).toEqual([
        [1, 540],
        [1, 780],
        [2, 540],
      ]);
    });

    it('refuses a period that ends before it starts', async () => {
      const { id: siteId } = await makeSite(repositories());
      const backwards = { siteId, dayOfWeek: 1, startMinute: 600, endMinute: 540 };
      await expect(repositories().workPeriods.add(backwards)).rejects.toEqual(invalidValue);
    });

    it('goes away with its site (foreign key ON DELETE CASCADE)', async () => {
      const { id: siteId } = await makeSite(repositories());
      await repositories().workPeriods.add({ siteId, dayOfWeek: 0, startMinute: 0, endMinute: 1440 });
      await repositories().sites.delete(siteId);
      expect(await repositories().workPeriods.listForSite(siteId)).toEqual([]);
    });
  });

  describe.each(['skills', 'userGroups'] as const)('%s', (kind) => {
    it('creates, finds by name, lists and deletes', async () => {
      const name = uniqueName(kind);
      const created = await repositories()[kind].create(name, 'described');
      expect(await repositories()[kind].findByName(name)).toEqual({
        id: created.id,
        name,
        description: 'described',
      });
      expect(await repositories()[kind].findById(created.id)).toEqual(created);
      expect(await repositories()[kind].list()).toContainEqual(created);
      expect(await repositories()[kind].delete(created.id)).toBe(true);
      expect(await repositories()[kind].findByName(name)).toBeNull();
    });

    it('refuses a duplicate name (unique key)', async () => {
      const name = uniqueName(kind);
      await repositories()[kind].create(name);
      const duplicate = repositories()[kind].create(name);
      await expect(duplicate.catch((error: unknown) => isUniqueViolation(error))).resolves.toBe(true);
    });
  });

  describe('operators', () => {
    it('creates an operator who takes no chats by default (max chats 0) and never exposes the hash', async () => {
      const operator = await makeOperator(repositories(), { maxChats: undefined });
      expect(operator).toMatchObject({
        maxChats: 0,
        openChats: 0,
        status: OperatorStatus.offline,
        skills: [],
      });
      expect(operator).not.toHaveProperty('passwordHash');
    });

    it('verifies credentials: the right password returns the operator', async () => {
      const operator = await makeOperator(repositories());
      expect(await repositories().operators.verifyCredentials(operator.username, testPassword)).toEqual(
        operator,
      );
    });

    it('verifies credentials: a wrong password returns null', async () => {
      const operator = await makeOperator(repositories());
      expect(await repositories().operators.verifyCredentials(operator.username, 'wrong')).toBeNull();
    });

    it('refuses a duplicate username (unique key)', async () => {
      const operator = await makeOperator(repositories());
      const duplicate = makeOperator(repositories(), { username: operator.username });
      await expect(duplicate.catch((error: unknown) => isUniqueViolation(error))).resolves.toBe(true);
    });

    it('sets the status code and stamps when it changed', async () => {
      const operator = await makeOperator(repositories());
      const changedAt = new Date('2025-01-02T03:04:05.678Z');
      await repositories().operators.setStatus(operator.id, OperatorStatus.busy, changedAt);
      expect(await repositories().operators.findById(operator.id)).toMatchObject({
        status: 2,
        statusChangedAt: changedAt,
      });
    });

    it('replaces skills and lists them by name', async () => {
      const [sales, german] = await Promise.all(
        [uniqueName('sales'), uniqueName('german')].map((name) => repositories().skills.create(name)),
      );
      const operator = await makeOperator(repositories(), { skillIds: [sales.id] });
      await repositories().operators.setSkills(operator.id, [german.id]);
      expect((await repositories().operators.findById(operator.id))?.skills).toEqual([german.name]);
    });

    it('lists with WhosOn filters: contains, connected status and all given skills', async () => {
      const tag = uniqueName('Team');
      const [sales, german] = await Promise.all(
        [uniqueName('sales'), uniqueName('german')].map((name) => repositories().skills.create(name)),
      );
      const both = await makeOperator(repositories(), {
        displayName: `${tag} both`,
        skillIds: [sales.id, german.id],
      });
      const salesOnly = await makeOperator(repositories(), {
        displayName: `${tag} sales`,
        skillIds: [sales.id],
      });
      await makeOperator(repositories(), { displayName: 'someone else', skillIds: [sales.id, german.id] });
      await repositories().operators.setStatus(salesOnly.id, OperatorStatus.away);
      const usernames = async (filter: Parameters<Repositories['operators']['list']>[0]) =>
        (await repositories().operators.list(filter)).map((operator) => operator.username).sort();
      expect(await usernames({ contains: tag.toUpperCase() })).toEqual(
        [both.username, salesOnly.username].sort(),
      );
      expect(await usernames({ contains: tag, status: 'connected' })).toEqual([salesOnly.username]);
      expect(await usernames({ contains: tag, status: OperatorStatus.offline })).toEqual([both.username]);
      expect(await usernames({ contains: tag, skills: [sales.name, german.name] })).toEqual([both.username]);
    });
  });
}
