import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  appRepositories,
  type ChatRecord,
  type Repositories,
  type SiteRecord,
} from '@switchboard/persistence';
import { XMLValidator } from 'fast-xml-parser';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_ENDPOINTS } from './admin-endpoints';
import { startAdminTestApp, TEST_AUTH } from './testing/admin-test-app';

const a = `a=${TEST_AUTH}`;

/** Well-formed markup: the admin pages are written as XHTML-compatible HTML, so an XML validator checks them. */
function expectWellFormed(markup: string): void {
  expect(XMLValidator.validate(markup.replace(/^<!DOCTYPE html>\n/, ''))).toBe(true);
}

describe('admin interface (embedded adapters)', () => {
  let dataDirectory: string;
  let app: INestApplication;
  let server: Server;
  let repositories: Repositories;
  let site: SiteRecord;
  let chat: ChatRecord;

  const get = (path: string) => request(server).get(`${path}${path.includes('?') ? '&' : '?'}${a}`);

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-'));
    app = await startAdminTestApp({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' });
    server = app.getHttpServer() as Server;
    repositories = appRepositories(app);
    const skill = await repositories.skills.create('billing');
    site = await repositories.sites.create({ siteKey: 'shop', name: 'Shop <&>', domain: 'shop.test' });
    const agent = await repositories.operators.create({
      username: 'alice',
      displayName: 'Alice',
      password: 'correct horse',
      email: 'alice@shop.test',
      maxChats: 2,
      skillIds: [skill.id],
      photo: Buffer.from('photo').toString('base64'),
    });
    await repositories.operators.create({
      username: 'bob',
      displayName: 'Bob',
      password: 'correct horse',
      email: 'bob@other.test',
    });
    await repositories.cannedResponses.create({
      operatorId: agent.id,
      title: 'Hello',
      text: 'Hello, how can I help?',
    });
    chat = (
      await repositories.chats.open({
        siteId: site.id,
        channel: 'web',
        visitorKey: 'v1',
        visitorName: 'Vera',
      })
    ).chat;
    await repositories.chats.assignOnce(chat.id, agent.id);
    await repositories.chatLines.append(chat.id, {
      senderKind: 'visitor',
      senderName: 'Vera',
      text: 'Hi <there>',
    });
    await repositories.chatEvents.append(chat.id, {
      code: 'OP',
      text: 'Operator alice Picked up Session',
      operatorId: agent.id,
    });
    await repositories.blockedVisitors.block({ ip: '203.0.113.9', reason: 'spam', blockedBy: 'alice' });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe('formats, each parsed', () => {
    it('index.htm (and /) render the status page with sites and blocked clients', async () => {
      for (const path of ['/', '/index.htm']) {
        const response = await get(path)
          .expect(200)
          .expect('Content-Type', /text\/html/);
        expectWellFormed(response.text);
        expect(response.text).toContain('Shop &lt;&amp;&gt;');
        expect(response.text).toContain('203.0.113.9');
        expect(response.text).toContain('Monitored sites');
      }
    });

    it('status.xml parses and status.json carries server, cluster, sites and blocked clients', async () => {
      const xml = await get('/status.xml').expect(200).expect('Content-Type', /xml/);
      expect(XMLValidator.validate(xml.text)).toBe(true);
      const json = await get('/status.json').expect(200).expect('Content-Type', /json/);
      const status = JSON.parse(json.text) as Record<string, unknown>;
      expect(status).toMatchObject({
        server: { product: 'Switchboard', service: 'admin-api' },
        cluster: { mode: 'memory' },
        sites: [expect.objectContaining({ siteKey: 'shop', active: 1 })],
        blockedClients: [expect.objectContaining({ ip: '203.0.113.9' })],
      });
    });

    it('getgeoip.* answers from the offline database in four formats', async () => {
      const json = JSON.parse((await get('/getgeoip.json?ip=8.8.8.8').expect(200)).text) as {
        country: string;
      };
      expect(json).toMatchObject({ ip: '8.8.8.8', found: true, country: 'US' });
      expect(XMLValidator.validate((await get('/getgeoip.xml?ip=8.8.8.8').expect(200)).text)).toBe(true);
      expectWellFormed((await get('/getgeoip.htm?ip=8.8.8.8').expect(200)).text);
      expect((await get('/getgeoip.txt?ip=8.8.8.8').expect(200)).text).toContain('country: US');
      expect(JSON.parse((await get('/getgeoip.json?ip=10.1.2.3').expect(200)).text)).toMatchObject({
        found: false,
      });
    }, 30_000);

    it('chat.json/xml/txt/htm show the transcript and events', async () => {
      const query = `?sitekey=shop&chatuid=${chat.chatUid}`;
      const json = JSON.parse((await get(`/chat.json${query}`).expect(200)).text) as Record<string, unknown>;
      expect(json).toMatchObject({
        chatUid: chat.chatUid,
        siteKey: 'shop',
        operator: { username: 'alice' },
        lines: [expect.objectContaining({ sequence: 1, text: 'Hi <there>' })],
        events: [expect.objectContaining({ code: 'OP' })],
      });
      expect(XMLValidator.validate((await get(`/chat.xml${query}`).expect(200)).text)).toBe(true);
      expect((await get(`/chat.txt${query}`).expect(200)).text).toContain('Vera: Hi <there>');
      const html = (await get(`/chat.htm${query}`).expect(200)).text;
      expectWellFormed(html);
      expect(html).toContain('Hi &lt;there&gt;');
    });

    it("chat.htm renders the chat with the site's own template from DATADIR/chat-templates", async () => {
      mkdirSync(join(dataDirectory, 'chat-templates'), { recursive: true });
      writeFileSync(
        join(dataDirectory, 'chat-templates', 'shop-brand.html'),
        '<html><body><h2 class="brand">{{siteName}} transcript</h2><p>{{visitor}} with {{operator}}{{unknown}}</p><ul>{{lines}}</ul></body></html>',
      );
      await repositories.sites.update(site.id, { chatTemplate: 'shop-brand' });
      try {
        const html = (await get(`/chat.htm?sitekey=shop&chatuid=${chat.chatUid}`).expect(200)).text;
        expectWellFormed(html);
        expect(html).toContain('<h2 class="brand">Shop &lt;&amp;&gt; transcript</h2><p>Vera with Alice</p>');
        expect(html).toContain('Hi &lt;there&gt;');
        expect(html).not.toContain('Monitored sites');
      } finally {
        await repositories.sites.update(site.id, { chatTemplate: null });
      }
    });

    it('site.json/xml show a site with its work periods', async () => {
      await repositories.workPeriods.add({
        siteId: site.id,
        dayOfWeek: 1,
        startMinute: 540,
        endMinute: 1020,
      });
      const json = JSON.parse((await get('/site.json?sitekey=shop').expect(200)).text) as Record<
        string,
        unknown
      >;
      expect(json).toMatchObject({
        siteKey: 'shop',
        paused: false,
        workPeriods: [{ dayOfWeek: 1, start: '09:00', end: '17:00' }],
      });
      expect(XMLValidator.validate((await get('/site.xml?sitekey=shop').expect(200)).text)).toBe(true);
    });

    it('user.json, users.json filters, userphoto.json, cannedresponses.json, chattingvisitors.json', async () => {
      expect(JSON.parse((await get('/user.json?username=alice').expect(200)).text)).toMatchObject({
        username: 'alice',
        skills: ['billing'],
        openChats: 1,
      });
      const names = async (query: string) =>
        (JSON.parse((await get(`/users.json${query}`).expect(200)).text) as Array<{ username: string }>).map(
          (user) => user.username,
        );
      expect(await names('')).toEqual(['alice', 'bob']);
      expect(await names('?contains=ALI')).toEqual(['alice']);
      expect(await names('?domain=other.test')).toEqual(['bob']);
      expect(await names('?skills=billing')).toEqual(['alice']);
      expect(await names('?status=connected')).toEqual([]);
      expect(await names('?status=0')).toEqual(['alice', 'bob']);
      const photo = JSON.parse((await get('/userphoto.json?username=alice').expect(200)).text) as {
        photo: string;
      };
      expect(Buffer.from(photo.photo, 'base64').toString()).toBe('photo');
      expect(JSON.parse((await get('/cannedresponses.json?username=alice').expect(200)).text)).toEqual([
        expect.objectContaining({ title: 'Hello', shared: false }),
      ]);
      expect(JSON.parse((await get('/chattingvisitors.json').expect(200)).text)).toEqual([
        expect.objectContaining({
          chatUid: chat.chatUid,
          siteKey: 'shop',
          operator: 'alice',
          state: 'active',
        }),
      ]);
    });

    it('getlog.txt holds this run and never the auth string', async () => {
      new Logger('AdminSpec').log(`a line with the secret ${TEST_AUTH} in it`);
      const log = (
        await get('/getlog.txt')
          .expect(200)
          .expect('Content-Type', /text\/plain/)
      ).text;
      expect(log).toContain('a line with the secret *** in it');
      expect(log).not.toContain(TEST_AUTH);
    });

    it('serves an OpenAPI document naming every endpoint', async () => {
      const document = JSON.parse((await get('/api/openapi.json').expect(200)).text) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths).sort()).toEqual(
        [...new Set(ADMIN_ENDPOINTS.map((endpoint) => endpoint.path))].sort(),
      );
    });
  });

  describe('bad input: a clear error, nothing half-done', () => {
    it.each([
      ['/site.json', 400, /sitekey/],
      ['/site.json?sitekey=nope', 404, /site nope does not exist/],
      ['/chat.json?sitekey=shop&chatuid=abc', 400, /chatuid/],
      ['/chat.txt?sitekey=shop&chatuid=00000000-0000-4000-8000-000000000000', 404, /does not exist/],
      ['/getgeoip.json?ip=999.1.1.1', 400, /ip/],
      ['/users.json?status=5', 400, /status/],
      ['/deleteusergroup.htm?id=x', 400, /id/],
      ['/deleteworkperiod.htm?id=424242', 404, /work period 424242/],
      ['/loaduser.htm', 400, /username/],
      ['/loaduser.htm?username=nobody', 404, /user nobody does not exist/],
      ['/loadsite.htm?sitekey=nope', 404, /site nope does not exist/],
    ])('%s answers %i', async (path, status, message) => {
      const response = await get(path).expect(status);
      expect(response.text).toMatch(message);
    });

    it('refuses to delete a site with open chats and keeps it whole', async () => {
      const response = await get('/deletesite.htm?sitekey=shop').expect(409);
      expect(response.text).toContain('1 open chat');
      expect(await repositories.sites.findByKey('shop')).not.toBeNull();
      expect(await repositories.chats.findByUid(chat.chatUid)).not.toBeNull();
    });

    it('refuses to delete a user who is in a chat', async () => {
      await get('/deleteuser.htm?username=alice').expect(409);
      expect(await repositories.operators.findByUsername('alice')).not.toBeNull();
    });
  });

  describe('changes: applied, audited, told to the cluster', () => {
    it('pausesite/resumesite flip the site and say where the reload went', async () => {
      const paused = await get('/pausesite.htm?sitekey=shop&by=carol').expect(200);
      expectWellFormed(paused.text);
      expect(paused.text).toMatch(/takes no new chats/);
      expect(paused.text).toMatch(/cluster stream CHAT at sequence \d+/);
      expect((await repositories.sites.findByKey('shop'))?.paused).toBe(true);
      await get('/resumesite.htm?sitekey=shop').expect(200);
      expect((await repositories.sites.findByKey('shop'))?.paused).toBe(false);
      const [resume, pause] = await repositories.adminAudit.list({ targetKind: 'site', targetKey: 'shop' });
      expect(pause).toMatchObject({
        actor: 'carol',
        action: 'site.pause',
        oldValue: '{"paused":false}',
        newValue: '{"paused":true}',
      });
      expect(resume).toMatchObject({ actor: 'admin', action: 'site.resume' });
    });

    it('loadsettings.htm makes the process re-read parameters and says it applied it', async () => {
      await repositories.parameters.set('ACD.Chat.Queue.MaxLength', '7', 'dba');
      const response = await get('/loadsettings.htm').expect(200);
      expect(response.text).toMatch(/applied by 1 process/);
      expect(app.get(ParameterService).get('ACD.Chat.Queue.MaxLength')).toBe(7);
    });

    it('sets a parameter through the JSON API and refuses an invalid one without storing it', async () => {
      await request(server)
        .put(`/api/parameters/ACD.Chat.Inactivity.Timeout.Minutes?${a}`)
        .send({ value: '0' })
        .expect(400);
      expect(await repositories.parameters.get('ACD.Chat.Inactivity.Timeout.Minutes')).toBeNull();
      await request(server).put(`/api/parameters/ACD.Nope?${a}`).send({ value: '1' }).expect(404);
      const response = await request(server)
        .put(`/api/parameters/ACD.Chat.Queue.MaxLength?${a}&by=carol`)
        .send({ value: '9' })
        .expect(200);
      expect(response.body).toMatchObject({
        value: { name: 'ACD.Chat.Queue.MaxLength', value: 9, source: 'database' },
      });
      expect(app.get(ParameterService).get('ACD.Chat.Queue.MaxLength')).toBe(9);
      const [audit] = await repositories.adminAudit.list({ targetKind: 'parameter' });
      expect(audit).toMatchObject({ actor: 'carol', oldValue: '7', newValue: '9' });
    });

    it("sets a site's text rules: words and phrases only, a pattern is refused", async () => {
      const patch = (body: object) => request(server).patch(`/api/sites/shop?${a}`).send(body);
      for (const textRules of [['(a+)+$'], ['a.*b'], ['x'.repeat(101)], Array(201).fill('word')])
        await patch({ textRules }).expect(400);
      expect((await repositories.sites.findByKey('shop'))!.textRules).toBeNull();
      const response = await patch({ textRules: ['shut up', "don't"], textRuleMessage: 'Be polite.' }).expect(
        200,
      );
      expect(response.body).toMatchObject({
        value: { textRules: ['shut up', "don't"], textRuleMessage: 'Be polite.' },
        reload: { target: 'site', key: 'shop' },
      });
      expect((await repositories.sites.findByKey('shop'))!.textRules).toEqual(['shut up', "don't"]);
      await patch({ textRules: null, textRuleMessage: null }).expect(200);
      expect((await repositories.sites.findByKey('shop'))!.textRules).toBeNull();
    });

    it('creates and updates sites, users, skills, groups, work periods and canned responses', async () => {
      const post = (path: string, body: object) => request(server).post(`/api/${path}?${a}`).send(body);
      await post('sites', { siteKey: 'kiosk', name: 'Kiosk', domain: 'kiosk.test' }).expect(201);
      await post('sites', { siteKey: 'kiosk', name: 'Again', domain: 'kiosk.test' }).expect(409);
      await post('sites', { siteKey: 'bad key', name: '', domain: 'x' }).expect(400);
      const renamed = await request(server)
        .patch(`/api/sites/kiosk?${a}`)
        .send({ name: 'Kiosk 2', paused: true })
        .expect(200);
      expect(renamed.body).toMatchObject({
        value: { name: 'Kiosk 2', paused: true },
        reload: { target: 'site', key: 'kiosk' },
      });
      const group = await post('usergroups', { name: 'nights' }).expect(201);
      await post('skills', { name: 'french' }).expect(201);
      await post('users', {
        username: 'zoe',
        displayName: 'Zoe',
        password: 'long enough',
        skills: ['french'],
        userGroup: 'nights',
      }).expect(201);
      await post('users', {
        username: 'zed',
        displayName: 'Zed',
        password: 'long enough',
        skills: ['klingon'],
      }).expect(400);
      expect(await repositories.operators.findByUsername('zed')).toBeNull();
      expect((await repositories.operators.findByUsername('zoe'))?.maxChats).toBe(0);
      await app.get(ParameterService).set('ACD.Chat.Agent.DefaultMaxChats', '3', 'test');
      await post('users', { username: 'yves', displayName: 'Yves', password: 'long enough' }).expect(201);
      await post('users', {
        username: 'yann',
        displayName: 'Yann',
        password: 'long enough',
        maxChats: 1,
      }).expect(201);
      expect((await repositories.operators.findByUsername('yves'))?.maxChats).toBe(3);
      expect((await repositories.operators.findByUsername('yann'))?.maxChats).toBe(1);
      await app.get(ParameterService).set('ACD.Chat.Agent.DefaultMaxChats', '0', 'test');
      await request(server).patch(`/api/users/zoe?${a}`).send({ maxChats: 4, skills: [] }).expect(200);
      expect(await repositories.operators.findByUsername('zoe')).toMatchObject({ maxChats: 4, skills: [] });
      await post('workperiods', { siteKey: 'kiosk', dayOfWeek: 2, start: '08:00', end: '12:30' }).expect(201);
      await post('workperiods', { siteKey: 'kiosk', dayOfWeek: 2, start: '13:00', end: '12:00' }).expect(400);
      const canned = await post('cannedresponses', { title: 'Bye', text: 'Goodbye!' }).expect(201);
      await request(server)
        .patch(`/api/cannedresponses/${(canned.body as { value: { id: number } }).value.id}?${a}`)
        .send({ text: 'Bye!' })
        .expect(200);
      const audit = (await request(server).get(`/api/audit?${a}&kind=site&key=kiosk`).expect(200))
        .body as Array<{ action: string }>;
      expect(audit.map((row) => row.action)).toEqual(['site.update', 'site.create']);
      await get(`/deleteusergroup.htm?id=${(group.body as { value: { id: number } }).value.id}`).expect(200);
      expect((await repositories.operators.findByUsername('zoe'))?.userGroupId).toBeNull();
      await get('/deleteuser.htm?username=zoe').expect(200);
      await get('/deletesite.htm?sitekey=kiosk').expect(200);
      expect(await repositories.sites.findByKey('kiosk')).toBeNull();
    });

    it('deleteworkperiod.htm deletes the period, audits it and tells the cluster to reload work periods', async () => {
      const kept = await repositories.workPeriods.add({
        siteId: site.id,
        dayOfWeek: 1,
        startMinute: 540,
        endMinute: 1020,
      });
      const doomed = await repositories.workPeriods.add({
        siteId: site.id,
        dayOfWeek: 6,
        startMinute: 600,
        endMinute: 720,
      });
      const response = await get(`/deleteworkperiod.htm?id=${doomed.id}&by=carol`).expect(200);
      expectWellFormed(response.text);
      expect(response.text).toContain(`Work period ${doomed.id} was deleted.`);
      expect(response.text).toMatch(/cluster stream CHAT at sequence \d+/);
      const left = (await repositories.workPeriods.listForSite(site.id)).map((period) => period.id);
      expect(left).toContain(kept.id);
      expect(left).not.toContain(doomed.id);
      const [audit] = await repositories.adminAudit.list({
        targetKind: 'workperiod',
        targetKey: String(doomed.id),
      });
      expect(audit).toMatchObject({ actor: 'carol', action: 'workperiod.delete', newValue: null });
      expect(JSON.parse(audit.oldValue!)).toMatchObject({ id: doomed.id, dayOfWeek: 6, startMinute: 600 });
      await get(`/deleteworkperiod.htm?id=${doomed.id}`).expect(404);
      await repositories.workPeriods.delete(kept.id);
    });

    it('lists the visitor blocks in force and lifts one (DELETE /api/blocks/:id), audited', async () => {
      const block = await repositories.blockedVisitors.block({
        siteId: site.id,
        visitorKey: 'blocked-visitor-1',
        ip: '203.0.113.7',
        reason: 'spam',
        blockedBy: 'alice',
      });
      const listed = async () =>
        ((await get('/api/blocks').expect(200)).body as Array<{ id: number; siteKey: string | null }>).filter(
          (entry) => entry.id === block.id,
        );
      expect(await listed()).toEqual([
        expect.objectContaining({
          id: block.id,
          siteKey: 'shop',
          visitorKey: 'blocked-visitor-1',
          ip: '203.0.113.7',
        }),
      ]);
      const lifted = await request(server).delete(`/api/blocks/${block.id}?${a}&by=erin`).expect(200);
      expect(lifted.body).toMatchObject({ value: { id: block.id, siteKey: 'shop' }, reload: null });
      expect(await listed()).toEqual([]);
      expect(
        await repositories.blockedVisitors.isBlocked({ siteId: site.id, visitorKey: 'blocked-visitor-1' }),
      ).toBe(false);
      await request(server).delete(`/api/blocks/${block.id}?${a}`).expect(404);
      await request(server).delete(`/api/blocks/x?${a}`).expect(400);
      const [audit] = await repositories.adminAudit.list({
        targetKind: 'block',
        targetKey: String(block.id),
      });
      expect(audit).toMatchObject({ action: 'block.delete', actor: 'erin' });
    });

    it('manages routing rules per site: validated, audited old → new, told to the cluster as a site reload', async () => {
      const post = (body: object) => request(server).post(`/api/routingrules?${a}&by=dora`).send(body);
      await repositories.sites.create({ siteKey: 'rules-shop', name: 'Rules shop', domain: 'rules.test' });
      await repositories.skills.create('rules-sales');
      await repositories.skills.create('rules-billing');
      const created = await post({
        siteKey: 'rules-shop',
        name: 'german shop',
        skill: 'rules-sales',
        position: 2,
        pageUrlContains: '/shop',
        language: 'de',
        actions: { offline: { kind: 'redirect', skill: 'rules-billing' } },
      }).expect(201);
      const id = (created.body as { value: { id: number } }).value.id;
      expect(created.body).toMatchObject({
        value: {
          id,
          siteKey: 'rules-shop',
          position: 2,
          name: 'german shop',
          skill: 'rules-sales',
          pageUrlContains: '/shop',
          language: 'de',
          actions: { offline: { kind: 'redirect', skill: 'rules-billing' } },
        },
        reload: { target: 'site', key: 'rules-shop' },
      });
      await post({ siteKey: 'rules-shop', name: 'first', skill: 'rules-billing', position: 1 }).expect(201);
      for (const [body, message] of [
        [{ siteKey: 'rules-shop', name: 'x', skill: 'nope' }, /skill: no skill named nope/],
        [
          {
            siteKey: 'rules-shop',
            name: 'x',
            skill: 'rules-sales',
            actions: { sometimes: { kind: 'cancel' } },
          },
          /actions/,
        ],
        [
          {
            siteKey: 'rules-shop',
            name: 'x',
            skill: 'rules-sales',
            actions: { normal: { kind: 'redirect', skill: 'ghost' } },
          },
          /actions\.normal\.skill: no skill named ghost/,
        ],
        [{ siteKey: 'rules-shop', name: 'x', skill: 'rules-sales', language: 'German' }, /language/],
        [{ siteKey: 'rules-shop', skill: 'rules-sales' }, /name/],
      ] as const)
        expect((await post(body).expect(400)).text).toMatch(message);
      await post({ siteKey: 'nowhere', name: 'x', skill: 'rules-sales' }).expect(404);
      const listed = async () =>
        (
          (await request(server).get(`/api/routingrules?${a}&sitekey=rules-shop`).expect(200)).body as Array<{
            name: string;
          }>
        ).map((rule) => rule.name);
      expect(await listed()).toEqual(['first', 'german shop']);
      await request(server).get(`/api/routingrules?${a}`).expect(400);
      await request(server).get(`/api/routingrules?${a}&sitekey=nowhere`).expect(404);

      const changed = await request(server)
        .patch(`/api/routingrules/${id}?${a}&by=erin`)
        .send({ position: 0, pageUrlContains: null, variables: { plan: 'gold' } })
        .expect(200);
      expect(changed.body).toMatchObject({ value: { position: 0, variables: { plan: 'gold' } } });
      expect(changed.body).not.toHaveProperty('value.pageUrlContains');
      expect(await listed()).toEqual(['german shop', 'first']);
      await request(server).patch(`/api/routingrules/${id}?${a}`).send({ siteKey: 'other' }).expect(400);
      await request(server).patch(`/api/routingrules/${id}?${a}`).send({ skill: 'ghost' }).expect(400);
      await request(server).patch(`/api/routingrules/424242?${a}`).send({ name: 'x' }).expect(404);
      expect((await repositories.routingRules.findById(id))?.skill).toBe('rules-sales');

      await request(server).delete(`/api/routingrules/${id}?${a}&by=erin`).expect(200);
      await request(server).delete(`/api/routingrules/${id}?${a}`).expect(404);
      expect(await listed()).toEqual(['first']);
      const audit = (await request(server).get(`/api/audit?${a}&kind=routingrule&key=${id}`).expect(200))
        .body as Array<{ action: string; actor: string; oldValue: string; newValue: string }>;
      expect(audit.map((row) => [row.action, row.actor])).toEqual([
        ['routingrule.delete', 'erin'],
        ['routingrule.update', 'erin'],
        ['routingrule.create', 'dora'],
      ]);
      expect(JSON.parse(audit[1]?.oldValue ?? 'null')).toMatchObject({
        position: 2,
        pageUrlContains: '/shop',
      });
      expect(JSON.parse(audit[1]?.newValue ?? 'null')).toMatchObject({
        position: 0,
        variables: { plan: 'gold' },
      });
    });

    it("manages a site's outbound webhooks: zod-validated, https or loopback only, the secret never returned nor audited", async () => {
      await repositories.sites.create({ siteKey: 'hook-shop', name: 'Hook shop', domain: 'hook.test' });
      const base = '/api/sites/hook-shop/webhooks';
      const post = (body: object) => request(server).post(`${base}?${a}&by=dora`).send(body);
      const secret = 'crm-signing-secret-4242';
      const created = await post({
        url: 'https://crm.example/hook?tenant=7',
        secret,
        events: ['chat.line'],
      }).expect(201);
      const id = (created.body as { value: { id: number } }).value.id;
      expect(created.body).toEqual({
        value: expect.objectContaining({
          id,
          siteKey: 'hook-shop',
          url: 'https://crm.example/hook?tenant=7',
          events: ['chat.line'],
          enabled: true,
          allowHttp: false,
        }) as unknown,
        reload: null,
      });
      await post({ url: 'http://crm.example/hook', secret }).expect(400);
      await post({ url: 'http://127.0.0.1:9000/hook', secret }).expect(201);
      await post({ url: 'http://crm.internal/hook', secret, allowHttp: true }).expect(201);
      await post({ url: 'https://user:pw@crm.example/hook', secret }).expect(400);
      await post({ url: 'https://crm.example/hook', secret: 'short' }).expect(400);
      await post({ url: 'https://crm.example/hook', secret, events: ['chat.typing'] }).expect(400);
      await post({ url: 'https://crm.example/hook', secret, extra: 1 }).expect(400);
      await request(server)
        .post(`/api/sites/nowhere/webhooks?${a}`)
        .send({ url: 'https://x.example', secret })
        .expect(404);
      await request(server)
        .patch(`${base}/${id}?${a}&by=erin`)
        .send({ secret: 'rotated-signing-secret-99', enabled: false })
        .expect(200);
      await request(server).patch(`${base}/${id}?${a}`).send({ url: 'http://crm.example/hook' }).expect(400);
      await request(server).patch(`/api/sites/shop/webhooks/${id}?${a}`).send({ enabled: true }).expect(404);
      expect(await repositories.outboundWebhooks.revealSecret(id)).toBe('rotated-signing-secret-99');
      const listed = await get(base).expect(200);
      expect((listed.body as unknown[]).length).toBe(3);
      const audit = await get(`/api/audit?kind=webhook&key=${id}`).expect(200);
      expect((audit.body as Array<{ action: string }>).map((row) => row.action)).toEqual([
        'webhook.update',
        'webhook.create',
      ]);
      for (const text of [
        JSON.stringify(created.body),
        JSON.stringify(listed.body),
        JSON.stringify(audit.body),
      ]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain('rotated-signing-secret-99');
      }
      expect((await get(`${base}/deliveries?state=dead`).expect(200)).body).toEqual([]);
      await get(`${base}/deliveries?state=lost`).expect(400);
      await request(server).delete(`${base}/${id}?${a}`).expect(200);
      await request(server).delete(`${base}/${id}?${a}`).expect(404);
    });

    it('manages WhatsApp chat connectors: E.164 validated, API key never returned nor audited in full', async () => {
      const post = (body: object) => request(server).post(`/api/chatconnectors?${a}&by=dora`).send(body);
      await repositories.sites.create({ siteKey: 'wa-shop', name: 'WhatsApp shop', domain: 'shop.test' });
      await repositories.skills.create('wa-billing');
      const apiKey = 'tyntec-secret-key-9876';
      const created = await post({
        siteKey: 'wa-shop',
        phoneNumber: '+4930555123',
        apiKey,
        language: 'de',
        skill: 'wa-billing',
      }).expect(201);
      expect(created.body).toEqual({
        value: {
          id: expect.any(Number) as number,
          siteKey: 'wa-shop',
          channel: 'whatsapp',
          enabled: true,
          phoneNumber: '+4930555123',
          apiKey: '••••9876',
          language: 'de',
          skill: 'wa-billing',
        },
        reload: null,
      });
      await post({ siteKey: 'wa-shop', phoneNumber: '4930555123', apiKey, language: 'de' }).expect(409);
      await post({ siteKey: 'wa-shop', phoneNumber: '030555', apiKey, language: 'de' }).expect(400);
      await post({ siteKey: 'wa-shop', phoneNumber: '4930555124', apiKey, language: 'German' }).expect(400);
      await post({ siteKey: 'nowhere', phoneNumber: '4930555125', apiKey, language: 'de' }).expect(404);
      const id = (created.body as { value: { id: number } }).value.id;
      const changed = await request(server)
        .patch(`/api/chatconnectors/${id}?${a}`)
        .send({ enabled: false, apiKey: 'replaced-key-1111' })
        .expect(200);
      expect(changed.body).toMatchObject({ value: { enabled: false, apiKey: '••••1111' } });
      expect(await repositories.chatConnectors.revealApiKey(id)).toBe('replaced-key-1111');
      const listed = await request(server).get(`/api/chatconnectors?${a}`).expect(200);
      const audit = await request(server).get(`/api/audit?${a}&kind=chatconnector&key=${id}`).expect(200);
      for (const text of [JSON.stringify(listed.body), JSON.stringify(audit.body)]) {
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain('replaced-key-1111');
      }
      expect((audit.body as Array<{ action: string; actor: string }>).map((row) => row.action)).toEqual([
        'chatconnector.update',
        'chatconnector.create',
      ]);
      await repositories.webhookInbox.deadLetter({
        kind: 'incoming',
        rawBody: '{"x":1}',
        reason: 'not JSON: spec',
      });
      const letters = await request(server).get(`/api/webhooks/deadletters?${a}&limit=1`).expect(200);
      expect(letters.body).toEqual([
        expect.objectContaining({ kind: 'incoming', rawBody: '{"x":1}', reason: 'not JSON: spec' }),
      ]);
      await request(server).get(`/api/webhooks/deadletters?${a}&limit=lots`).expect(400);
    });
  });
});

describe('admin auth string in the embedded mode', () => {
  it('is generated once into DATADIR with mode 0600 and kept across starts', async () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-auth-'));
    const { loadAdminAccessSettings } = await import('./access/admin-access.settings');
    const bootstrap = { dataDirectory, clusterMode: 'memory' } as Parameters<
      typeof loadAdminAccessSettings
    >[1];
    const first = loadAdminAccessSettings({}, bootstrap, 'embedded');
    const path = join(dataDirectory, 'admin-auth.txt');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.authString.reveal());
    expect(loadAdminAccessSettings({}, bootstrap, 'embedded').authString.reveal()).toBe(
      first.authString.reveal(),
    );
    expect(first.extraPort).toBe(8899);
    expect(JSON.stringify(first)).not.toContain(first.authString.reveal());
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('is required in cluster mode, and the error says what to set', async () => {
    const { loadAdminAccessSettings } = await import('./access/admin-access.settings');
    const bootstrap = { dataDirectory: '/nonexistent', clusterMode: 'hazelcast' } as Parameters<
      typeof loadAdminAccessSettings
    >[1];
    expect(() => loadAdminAccessSettings({}, bootstrap, 'admin-api')).toThrow(
      'SWITCHBOARD_ADMIN_AUTH must be set in cluster mode',
    );
    expect(() =>
      loadAdminAccessSettings({ SWITCHBOARD_ADMIN_AUTH: 'short' }, bootstrap, 'admin-api'),
    ).toThrow('at least 8');
    expect(() =>
      loadAdminAccessSettings(
        { SWITCHBOARD_ADMIN_AUTH: 'long enough', SWITCHBOARD_ADMIN_WHITELIST: 'x' },
        bootstrap,
        'admin-api',
      ),
    ).toThrow('SWITCHBOARD_ADMIN_WHITELIST');
  });
});
