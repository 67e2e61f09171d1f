import { migrate } from '../database/migrate';
import type { ContextProvider } from './contract-context';
import { makeSite, uniqueName } from './factories';

const createdAt = new Date('2024-03-31T01:59:58.123Z');

/** Migrations and entities agree, and values survive a round trip unchanged. */
export function schemaContract(context: ContextProvider): void {
  describe('schema', () => {
    it('has applied every migration: migrating again applies none', async () => {
      expect(await migrate(context().dataSource, () => undefined)).toEqual([]);
    });

    it('matches the entities exactly (the schema builder has no pending query; fix the migration if it has)', async () => {
      const pending = await context().dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('keeps timestamps to the millisecond, in UTC', async () => {
      const { sites } = context().repositories;
      const site = await sites.create(
        { siteKey: uniqueName('site'), name: 'Clock', domain: 'clock.test' },
        createdAt,
      );
      expect((await sites.findById(site.id))?.createdAt.toISOString()).toBe(createdAt.toISOString());
    });

    it('keeps 4-byte UTF-8 text (emoji) intact', async () => {
      const site = await makeSite(context().repositories, { name: 'Chat 💬 café' });
      expect((await context().repositories.sites.findById(site.id))?.name).toBe('Chat 💬 café');
    });
  });
}
