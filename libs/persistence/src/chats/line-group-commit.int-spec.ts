import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.factory';
import { dropMysqlDatabase, ensureMysqlDatabase } from '../database/ensure-mysql-database';
import { migrate } from '../database/migrate';
import { createRepositories, type Repositories } from '../repositories';
import { makeChat } from '../testing/factories';

// A throwaway database per run, so parallel runs and leftovers never meet.
const url = `mysql://root@127.0.0.1:3306/switchboard_test_groups_${randomBytes(4).toString('hex')}`;

/** Two DataSources are two messenger nodes: each has its own group commit over the same chats. */
describe('group commit on MariaDB, two nodes writing to the same chats', () => {
  const nodes: Array<{ dataSource: DataSource; repositories: Repositories }> = [];

  beforeAll(async () => {
    await ensureMysqlDatabase(url);
    for (let node = 0; node < 2; node++) {
      const dataSource = await createDataSource({ kind: 'mysql', url, poolSize: 10 }).initialize();
      if (node === 0) await migrate(dataSource, () => undefined);
      nodes.push({ dataSource, repositories: createRepositories(dataSource) });
    }
  });

  afterAll(async () => {
    for (const { dataSource } of nodes) await dataSource.destroy();
    await dropMysqlDatabase(url);
  });

  it("numbers every line once with no gap, each node's lines of a chat in the order it sent them", async () => {
    const chats = await Promise.all(Array.from({ length: 20 }, () => makeChat(nodes[0].repositories)));
    const linesPerNodeAndChat = 10;
    const appends = nodes.flatMap(({ repositories }, node) =>
      chats.flatMap((chat) =>
        Array.from({ length: linesPerNodeAndChat }, (_, index) =>
          repositories.chatLines.append(
            chat.id,
            {
              senderKind: node === 0 ? 'visitor' : 'operator',
              senderName: `node ${node}`,
              text: `${node}/${index}`,
            },
            undefined,
            { open: true },
          ),
        ),
      ),
    );
    await Promise.all(appends);
    for (const chat of chats) {
      const lines = await nodes[0].repositories.chatLines.listSince(chat.id, 0);
      expect(lines.map((line) => line.sequence)).toEqual(
        Array.from({ length: 2 * linesPerNodeAndChat }, (_, index) => index + 1),
      );
      for (const node of [0, 1]) {
        const sent = Array.from({ length: linesPerNodeAndChat }, (_, index) => `${node}/${index}`);
        expect(lines.map((line) => line.text).filter((text) => text.startsWith(`${node}/`))).toEqual(sent);
      }
      expect((await nodes[1].repositories.chats.findById(chat.id))?.lastLineSeq).toBe(
        2 * linesPerNodeAndChat,
      );
    }
  });

  it('refuses the lines of a chat that does not exist, storing the others of the group', async () => {
    const chat = await makeChat(nodes[0].repositories);
    const outcomes = await Promise.allSettled([
      nodes[0].repositories.chatLines.append(
        chat.id,
        { senderKind: 'visitor', senderName: 'Visitor', text: 'kept' },
        undefined,
        { open: true },
      ),
      nodes[0].repositories.chatLines.append(
        2_000_000_000,
        { senderKind: 'visitor', senderName: 'Visitor', text: 'nowhere' },
        undefined,
        { open: true },
      ),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect((await nodes[0].repositories.chatLines.listSince(chat.id, 0)).map((line) => line.text)).toEqual([
      'kept',
    ]);
  });
});
