import type { INestApplication } from '@nestjs/common';
import { appRepositories, dropMysqlDatabase, type Repositories } from '@switchboard/persistence';
import { makeChat, makeSite } from '@switchboard/persistence/testing';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { startAdminTestApp, TEST_AUTH } from '../testing/admin-test-app';

// Sites and their WhatsApp chat connectors on the real MariaDB (chat_connectors.site_id is RESTRICT).
describe('deleting a site with a chat connector, and the connector itself (MariaDB)', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  let admin: INestApplication;
  let repositories: Repositories;
  const server = () => admin.getHttpServer() as Server;
  const withAuth = (path: string) => `${path}${path.includes('?') ? '&' : '?'}a=${TEST_AUTH}`;

  beforeAll(async () => {
    admin = await startAdminTestApp({ SWITCHBOARD_CLUSTER: 'memory', SWITCHBOARD_DATABASE_URL: databaseUrl });
    repositories = appRepositories(admin);
  });

  afterAll(async () => {
    await admin?.close();
    await dropMysqlDatabase(databaseUrl);
  });

  async function siteWithConnector(phoneNumber: string) {
    const site = await makeSite(repositories);
    const created = await request(server())
      .post(withAuth('/api/chatconnectors'))
      .send({
        siteKey: site.siteKey,
        phoneNumber: `+${phoneNumber}`,
        apiKey: 'tyntec-key-0123456789',
        language: 'en',
      })
      .expect(201);
    return { site, connectorId: (created.body as { value: { id: number } }).value.id };
  }

  it('deletesite.htm answers 409 naming the connector (not 500) and deletes nothing', async () => {
    const { site } = await siteWithConnector('4930500001');
    const response = await request(server())
      .get(withAuth(`/deletesite.htm?sitekey=${site.siteKey}`))
      .expect(409);
    expect(response.text).toContain('WhatsApp chat connector(s) +4930500001');
    expect(response.text).toContain('DELETE /api/chatconnectors/{id}');
    expect(await repositories.sites.findByKey(site.siteKey)).not.toBeNull();
    expect(await repositories.chatConnectors.findByPhoneNumber('4930500001')).not.toBeNull();
  });

  it('refuses to delete a connector while its site has an open WhatsApp chat, then deletes it and the site', async () => {
    const { site, connectorId } = await siteWithConnector('4930500002');
    const chat = await makeChat(repositories, {
      siteId: site.id,
      channel: 'whatsapp',
      visitorKey: '4917600777',
    });
    const refused = await request(server())
      .delete(withAuth(`/api/chatconnectors/${connectorId}`))
      .expect(409);
    expect(JSON.stringify(refused.body)).toContain('1 open WhatsApp chat(s)');
    expect(await repositories.chatConnectors.findById(connectorId)).not.toBeNull();

    await repositories.chats.close(chat.id, 'OC');
    const deleted = await request(server())
      .delete(withAuth(`/api/chatconnectors/${connectorId}?by=carol`))
      .expect(200);
    expect(deleted.body).toMatchObject({
      value: { id: connectorId, phoneNumber: '+4930500002', apiKey: '••••6789' },
    });
    expect(await repositories.chatConnectors.findById(connectorId)).toBeNull();
    const audit = await repositories.adminAudit.list({
      targetKind: 'chatconnector',
      targetKey: String(connectorId),
    });
    expect(audit.map((entry) => [entry.action, entry.actor])).toContainEqual([
      'chatconnector.delete',
      'carol',
    ]);
    expect(JSON.stringify(audit)).not.toContain('tyntec-key-0123456789');

    await request(server())
      .get(withAuth(`/deletesite.htm?sitekey=${site.siteKey}`))
      .expect(200);
    expect(await repositories.sites.findByKey(site.siteKey)).toBeNull();
  });

  it('answers 404 for a connector that does not exist', async () => {
    await request(server()).delete(withAuth('/api/chatconnectors/999999')).expect(404);
  });
});
