import { createDataSource, createRepositories, migrate, type Repositories } from '@switchboard/persistence';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import type { DataSource } from 'typeorm';
import { parseWebhooksCommand, runWebhooksCommand, USAGE, type WebhooksCommand } from './webhooks-command';

const API_KEY = 'cli-spec-api-key';
const SECRET = 'cli-spec-secret-0123456789';

describe('npm run whatsapp:webhooks', () => {
  let fake: FakeTyntec;
  let dataSource: DataSource;
  let repositories: Repositories;
  let output: string;
  const environment = () => ({
    ACD_WHATSAPP_TYNTEC_URL: `${fake.baseUrl}/chat-api/v2/messages`,
    SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: SECRET,
  });
  const run = (argv: string[]) =>
    runWebhooksCommand(
      parseWebhooksCommand(argv) as WebhooksCommand,
      repositories,
      environment(),
      (text) => (output += text),
    );

  beforeAll(async () => {
    fake = new FakeTyntec({ apiKey: API_KEY });
    await fake.start();
    dataSource = createDataSource({ kind: 'sqlite', file: ':memory:' });
    await dataSource.initialize();
    await migrate(dataSource, () => undefined);
    repositories = createRepositories(dataSource);
    const site = await repositories.sites.create({ siteKey: 'cli', name: 'CLI', domain: 'cli.test' });
    await repositories.chatConnectors.create({
      siteId: site.id,
      phoneNumber: '4930123123',
      apiKey: API_KEY,
      language: 'en',
    });
  });

  beforeEach(() => {
    output = '';
  });

  afterAll(async () => {
    await fake.stop();
    await dataSource.destroy();
  });

  it('has --help, and refuses a missing action or an unknown flag', () => {
    expect(parseWebhooksCommand(['--help'])).toBe('help');
    expect(USAGE).toContain('--dry-run');
    expect(() => parseWebhooksCommand([])).toThrow('show or configure');
    expect(() => parseWebhooksCommand(['configure', '--colour'])).toThrow();
  });

  it('prints the PATCH body on --dry-run, secret hidden, and sends nothing', async () => {
    expect(await run(['configure', '--dry-run', '--base-url', 'https://portal.example'])).toBe(0);
    expect(output).toContain('"callbackUrl": "https://portal.example/incoming?secret=<secret>"');
    expect(output).toContain('"MessageStatus::channelFailed"');
    expect(output).not.toContain(SECRET);
    expect(fake.application.webhooks).toEqual([]);
  });

  it("configures TynTec's two webhook groups with the connector's API key and shows them", async () => {
    expect(await run(['configure', '--base-url', 'https://portal.example'])).toBe(0);
    expect(fake.application.webhooks).toEqual([
      { events: ['MoMessage'], callbackUrl: `https://portal.example/incoming?secret=${SECRET}` },
      expect.objectContaining({ callbackUrl: `https://portal.example/delivery?secret=${SECRET}` }),
    ]);
    output = '';
    expect(await run(['show', '--show-secret'])).toBe(0);
    expect(output).toContain(`https://portal.example/delivery?secret=${SECRET}`);
  });

  it('names the connector in the /incoming callback when --connector is given', async () => {
    expect(
      await run(['configure', '--base-url', 'https://portal.example', '--connector', '+4930123123']),
    ).toBe(0);
    expect(fake.application.webhooks).toEqual([
      {
        events: ['MoMessage'],
        callbackUrl: `https://portal.example/incoming?secret=${SECRET}&connector=4930123123`,
      },
      expect.objectContaining({ callbackUrl: `https://portal.example/delivery?secret=${SECRET}` }),
    ]);
  });

  it('refuses an http base URL unless --allow-http (the local fake)', async () => {
    await expect(run(['configure', '--dry-run', '--base-url', 'http://127.0.0.1:3000'])).rejects.toThrow(
      '--allow-http',
    );
    expect(await run(['configure', '--dry-run', '--allow-http', '--base-url', 'http://127.0.0.1:3000'])).toBe(
      0,
    );
  });

  it('says which connector to use when the number is unknown, and reports TynTec refusing a key', async () => {
    await expect(run(['show', '--connector', '+4999'])).rejects.toThrow(
      'no chat connector has the number +4999',
    );
    await expect(run(['show', '--api-key', 'wrong-key'])).rejects.toThrow('TynTec answered 401');
  });
});
