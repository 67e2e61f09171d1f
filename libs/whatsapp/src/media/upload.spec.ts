import { TokenService } from '@switchboard/chat';
import { SessionService } from '@switchboard/identity';
import { OperatorRepository } from '@switchboard/persistence';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnectorNode, type ConnectorNode } from '../testing';
import { MAX_MEDIA_BYTES } from './media-files';

describe("an agent's upload (POST /whatsapp/upload)", () => {
  let node: ConnectorNode;
  let dataDirectory: string;
  let token: string;
  let sessionKey: string;
  let operatorId: number;

  const upload = (body: Buffer | string, headers: Record<string, string>, path = '/whatsapp/upload') =>
    fetch(`${node.url}${path}`, { method: 'POST', headers, body });
  const stored = () => readdirSync(dataDirectory, { recursive: true }).map(String).sort();

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-upload-'));
    node = await startConnectorNode({
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: 'spec-webhook-secret-0123456789',
      ACD_WHATSAPP_SERVER_BASE_URL: 'http://agents.test',
      ACD_WHATSAPP_WHATSAPP_URL: 'https://public.test',
    });
    const operator = await node.app.get(OperatorRepository).create({
      username: 'uploader',
      displayName: 'Uploader',
      password: 'uploader password',
    });
    const session = await node.app
      .get(SessionService)
      .open(operator, { remember: false, method: 'local' }, { remoteAddress: '127.0.0.1' });
    token = session.token;
    sessionKey = session.sessionKey;
    operatorId = operator.id;
  });

  afterAll(async () => {
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('stores the file under DATADIR and answers the /attach command that sends it', async () => {
    const response = await upload('%PDF-1.4 invoice', {
      authorization: `Bearer ${token}`,
      'content-type': 'application/pdf',
    });
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { storedName: string; link: string; attach: string };
    expect(answer.storedName).toMatch(/^[a-f0-9]{32}\.pdf$/);
    expect(answer).toEqual({
      storedName: answer.storedName,
      link: `/whatsapp/media/${answer.storedName}`,
      attach: `/attach ${answer.storedName}`,
    });
    expect(readFileSync(join(dataDirectory, 'whatsapp-media', answer.storedName), 'utf8')).toBe(
      '%PDF-1.4 invoice',
    );
    const served = await fetch(`${node.url}${answer.link}`);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(await served.text()).toBe('%PDF-1.4 invoice');
  });

  it.each([
    ['no token', {}],
    ['a token that is not one', { authorization: 'Bearer 7.99999999999999.forged' }],
    ['an expired token', { authorization: 'expired' }],
  ])('answers 401 to %s and stores nothing', async (_case, headers: Record<string, string>) => {
    const authorization =
      headers.authorization === 'expired'
        ? `Bearer ${node.app.get(TokenService).agentToken({ operatorId, sessionKey, expiresAt: new Date(Date.now() - 1000) })}`
        : headers.authorization;
    const before = stored();
    const response = await upload('png bytes', {
      ...(authorization ? { authorization } : {}),
      'content-type': 'image/png',
    });
    expect(response.status).toBe(401);
    expect(stored()).toEqual(before);
  });

  it('answers 401 to the unexpired token of a session logged out', async () => {
    const sessions = node.app.get(SessionService);
    const operator = await node.app.get(OperatorRepository).findById(operatorId);
    const ended = await sessions.open(
      operator!,
      { remember: false, method: 'local' },
      { remoteAddress: '::1' },
    );
    await sessions.logout(ended, { remoteAddress: '::1' });
    const before = stored();
    const response = await upload('png bytes', {
      authorization: `Bearer ${ended.token}`,
      'content-type': 'image/png',
    });
    expect(response.status).toBe(401);
    expect(stored()).toEqual(before);
  });

  it.each(['text/html', 'image/svg+xml', 'application/octet-stream'])(
    'answers 415 to a %s file and stores nothing',
    async (contentType) => {
      const before = stored();
      const response = await upload('<script>alert(1)</script>', {
        authorization: `Bearer ${token}`,
        'content-type': contentType,
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { message: string }).message).toContain('image/jpeg');
      expect(stored()).toEqual(before);
    },
  );

  it('answers 413 to a file over the limit and stores nothing', async () => {
    const before = stored();
    const response = await upload(Buffer.alloc(MAX_MEDIA_BYTES + 1), {
      authorization: `Bearer ${token}`,
      'content-type': 'image/jpeg',
    });
    expect(response.status).toBe(413);
    expect(stored()).toEqual(before);
  });

  it('never lets a name or a path reach the file system', async () => {
    const before = stored();
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'text/plain',
      'content-disposition': 'attachment; filename="../../escaped.txt"',
    };
    for (const path of ['/whatsapp/upload/..%2F..%2Fescaped.txt', '/whatsapp/upload/../../escaped.txt'])
      expect((await upload('x', headers, path)).status).toBe(404);
    const response = await upload('x', headers, '/whatsapp/upload?name=../../escaped.txt');
    const { storedName } = (await response.json()) as { storedName: string };
    expect(storedName).toMatch(/^[a-f0-9]{32}\.txt$/);
    expect(stored()).toEqual([...before, `whatsapp-media/${storedName}`].sort());
    for (const path of ['..%2F..%2Fescaped.txt', '..%2Fwhatsapp-media%2F' + storedName, '%2Fetc%2Fpasswd'])
      expect((await fetch(`${node.url}/whatsapp/media/${path}`)).status).toBe(404);
  });
});
