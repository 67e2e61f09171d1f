import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.factory';
import { dropMysqlDatabase, ensureMysqlDatabase } from '../database/ensure-mysql-database';
import { migrate } from '../database/migrate';
import { createRepositories, type Repositories } from '../repositories';
import { makeSite, uniqueName } from '../testing/factories';
import { ColumnCipher } from './column-cipher';
import { columnCipher, encryptedColumns, installColumnCipher } from './encrypted-columns';
import { startColumnEncryption } from './key-check';
import { generateKeyMaterial, KeyRing } from './key-ring';
import { countStale, rotateColumns } from './key-rotation';

/** Everything the scripted conversation writes that must never be readable in a dump. */
const secrets = {
  visitorName: 'Veronika Plaintextova',
  email: 'veronika.plaintext@example.test',
  variable: 'ACCOUNT-PLAINTEXT-4711',
  webLine: 'my parcel number is PLAINTEXT-99887766',
  whatsappName: 'Wanda Whatsappova',
  whatsappLine: 'whatsapp PLAINTEXT question',
  caption: 'receipt PLAINTEXT caption',
  deadLetter: 'unreadable PLAINTEXT body',
};

interface Database {
  label: string;
  connect(): Promise<DataSource>;
  /** Every byte the database keeps, as text (a dump, or the SQLite files). */
  dump(): string;
  cleanUp(): Promise<void>;
}

const sqliteDirectory = mkdtempSync(join(tmpdir(), 'switchboard-encryption-'));
const mariadbName = `switchboard_test_enc_${randomBytes(4).toString('hex')}`;
const mariadbUrl = `mysql://root@127.0.0.1:3306/${mariadbName}`;

const databases: Database[] = [
  {
    label: 'SQLite (file)',
    connect: () =>
      Promise.resolve(createDataSource({ kind: 'sqlite', file: join(sqliteDirectory, 'chat.db') })),
    dump: () =>
      readdirSync(sqliteDirectory)
        .map((file) => readFileSync(join(sqliteDirectory, file)).toString('latin1'))
        .join('\n'),
    cleanUp: () => Promise.resolve(rmSync(sqliteDirectory, { recursive: true, force: true })),
  },
  {
    label: 'MariaDB',
    connect: async () => {
      await ensureMysqlDatabase(mariadbUrl);
      return createDataSource({ kind: 'mysql', url: mariadbUrl, poolSize: 10 });
    },
    dump: () =>
      execFileSync('mariadb-dump', ['-h', '127.0.0.1', '-u', 'root', '--skip-extended-insert', mariadbName], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    cleanUp: () => dropMysqlDatabase(mariadbUrl),
  },
];

// The test keys (tools/jest/encryption-setup.js), and a second key to rotate to.
const testKeys = columnCipher().keys;
const [testKeyId, testKeyMaterial] = (process.env.SWITCHBOARD_ENCRYPTION_KEYS ?? '').split(',')[0].split(':');
const k2 = generateKeyMaterial();

describe.each(databases)('encryption at rest on $label', (database) => {
  let dataSource: DataSource;
  let repositories: Repositories;
  let webChatId: number;

  beforeAll(async () => {
    dataSource = await database.connect();
    await dataSource.initialize();
    await migrate(dataSource, () => undefined);
    await startColumnEncryption(dataSource, testKeys, true);
    repositories = createRepositories(dataSource);
  });

  afterAll(async () => {
    installColumnCipher(new ColumnCipher(testKeys, true));
    await dataSource.destroy();
    await database.cleanUp();
  });

  it('keeps no plaintext of a conversation (variables, email, web and WhatsApp lines, webhooks) in the dump', async () => {
    const site = await makeSite(repositories);
    const { chat } = await repositories.chats.open({
      siteId: site.id,
      channel: 'web',
      visitorKey: uniqueName('visitor'),
      visitorName: secrets.visitorName,
      visitorEmail: secrets.email,
    });
    webChatId = chat.id;
    await repositories.chatVariables.set(chat.id, 'account', secrets.variable);
    await repositories.chatLines.append(chat.id, {
      senderKind: 'visitor',
      senderName: 'Veronika',
      text: secrets.webLine,
    });
    await repositories.chatLines.append(chat.id, {
      senderKind: 'visitor',
      senderName: 'Veronika',
      text: secrets.webLine,
    });
    const body = JSON.stringify({
      from: '491701234567',
      content: { text: secrets.whatsappLine, caption: secrets.caption },
    });
    await repositories.webhookInbox.store({
      kind: 'incoming',
      dedupeKey: uniqueName('message'),
      rawBody: body,
    });
    await repositories.webhookInbox.deadLetter({
      kind: 'incoming',
      rawBody: secrets.deadLetter,
      reason: 'unreadable',
    });
    const whatsapp = await repositories.chats.open({
      siteId: site.id,
      channel: 'whatsapp',
      visitorKey: '491701234567',
      visitorName: secrets.whatsappName,
    });
    await repositories.chatLines.append(whatsapp.chat.id, {
      senderKind: 'visitor',
      senderName: secrets.whatsappName,
      text: `${secrets.whatsappLine} [image] ${secrets.caption}`,
      externalMessageId: uniqueName('tyntec'),
    });
    await repositories.chatConnectors.create({
      siteId: site.id,
      phoneNumber: '4930123456',
      apiKey: 'TYNTEC-PLAINTEXT-KEY',
      language: 'en',
    });

    const dump = database.dump();
    expect(dump).toContain('sbenc1:test:');
    for (const plaintext of [...Object.values(secrets), 'TYNTEC-PLAINTEXT-KEY', 'PLAINTEXT'])
      expect({ plaintext, found: dump.includes(plaintext) }).toEqual({ plaintext, found: false });
    // Read back through the repositories, every value is the plaintext again.
    expect(await repositories.chats.findById(chat.id)).toMatchObject({
      visitorName: secrets.visitorName,
      visitorEmail: secrets.email,
    });
    expect((await repositories.chatLines.listSince(whatsapp.chat.id, 0)).map((line) => line.text)).toEqual([
      `${secrets.whatsappLine} [image] ${secrets.caption}`,
    ]);
  });

  it('finds chats by email and by variable value (equality on deterministic columns)', async () => {
    expect((await repositories.chats.list({ visitorEmail: secrets.email })).map((chat) => chat.id)).toEqual([
      webChatId,
    ]);
    expect(await repositories.chatVariables.findChatIds('account', secrets.variable)).toEqual([webChatId]);
    expect(await repositories.chats.list({ visitorEmail: 'nobody@example.test' })).toEqual([]);
  });

  it('gives two equal line texts different ciphertexts', async () => {
    const rows = await dataSource.query<Array<{ text: string }>>(
      'SELECT text FROM chat_lines WHERE chat_id = ? ORDER BY sequence',
      [webChatId],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].text).not.toBe(rows[1].text);
    expect((await repositories.chatLines.listSince(webChatId, 0)).map((line) => line.text)).toEqual([
      secrets.webLine,
      secrets.webLine,
    ]);
  });

  it('rotates to a new key under load: every line is kept, readable and under the new key', async () => {
    const site = await makeSite(repositories);
    const chats = await Promise.all(
      Array.from(
        { length: 8 },
        async (_, index) =>
          (
            await repositories.chats.open({
              siteId: site.id,
              channel: 'web',
              visitorKey: uniqueName(`load-${index}`),
              visitorName: `Load ${index}`,
            })
          ).chat,
      ),
    );
    const written = new Map<number, string[]>(chats.map((chat) => [chat.id, []]));
    const writeLines = async (rounds: number) => {
      for (let round = 0; round < rounds; round += 1)
        await Promise.all(
          chats.map(async (chat) => {
            const text = `line ${round} of chat ${chat.id} ${randomBytes(4).toString('hex')}`;
            await repositories.chatLines.append(chat.id, { senderKind: 'visitor', senderName: 'Load', text });
            written.get(chat.id)?.push(text);
          }),
        );
    };
    await writeLines(10);
    // The nodes restart with k2 active (old values stay readable), then the rotation runs while they write.
    const rotated = KeyRing.fromContent(
      { active: 'k2', keys: { [testKeyId]: testKeyMaterial, k2 } },
      'rotation test',
    );
    const cipher = await startColumnEncryption(dataSource, rotated, true);
    await Promise.all([
      writeLines(20),
      rotateColumns(dataSource, cipher, { batchSize: 25, rowsPerSecond: 2000 }),
    ]);
    await rotateColumns(dataSource, cipher);

    for (const spec of Object.values(encryptedColumns))
      expect({ spec, stale: await countStale(dataSource, cipher, spec) }).toEqual({ spec, stale: 0 });
    for (const chat of chats) {
      const lines = await repositories.chatLines.listSince(chat.id, 0);
      expect(lines.map((line) => line.text)).toEqual(written.get(chat.id));
      expect(lines.map((line) => line.sequence)).toEqual(lines.map((_, index) => index + 1));
    }
    const stored = await dataSource.query<Array<{ text: string }>>('SELECT text FROM chat_lines');
    expect(stored.filter((row) => !row.text.startsWith('sbenc1:k2:r:'))).toEqual([]);
  });
});
