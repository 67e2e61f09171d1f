import { createHmac } from 'node:crypto';
import {
  callbackUrlProblem,
  parseWebhookAnswer,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_CLOSE_MESSAGE_MAX,
} from './outbound-webhook';

const secret = 'whsec-0123456789abcdef';
const body = '{"id":"e1","type":"chat.line"}';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as docs/webhooks.md tells a receiver to compute it', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, signWebhook(secret, 1000, body), body, 1200)).toBe(true);
  });

  it('refuses another body, another secret, an old timestamp or a mangled header', () => {
    const header = signWebhook(secret, 1000, body);
    expect(verifyWebhookSignature(secret, header, `${body} `, 1000)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0000', header, body, 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 1000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=abc', body, 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace(/.$/, ''), body, 1000)).toBe(false);
  });
});

describe('webhook answers', () => {
  it('closes the chat on {"action":"close"} to chat.started or chat.line, with the trimmed message', () => {
    expect(parseWebhookAnswer('chat.line', '{"action":"close","message":" Bye "}')).toEqual({
      action: 'close',
      message: 'Bye',
    });
    expect(parseWebhookAnswer('chat.started', '{"action":"close"}')).toEqual({
      action: 'close',
      message: null,
    });
  });

  it('asks nothing of an empty, non-JSON, unknown or oversized answer, or one to another event', () => {
    for (const answer of ['', 'OK', '{"action":"reopen"}', '[]', 'null', '{"action":"close","message":7}'])
      expect(parseWebhookAnswer('chat.line', answer)).toEqual({ action: 'none' });
    const long = JSON.stringify({ action: 'close', message: 'x'.repeat(WEBHOOK_CLOSE_MESSAGE_MAX + 1) });
    expect(parseWebhookAnswer('chat.line', long)).toEqual({ action: 'none' });
    expect(parseWebhookAnswer('chat.closed', '{"action":"close"}')).toEqual({ action: 'none' });
    expect(parseWebhookAnswer('chat.assigned', '{"action":"close"}')).toEqual({ action: 'none' });
  });
});

describe('callback URLs', () => {
  it('takes https, and http to a loopback address or with the explicit opt-in', () => {
    expect(callbackUrlProblem('https://crm.example/hooks?x=1', false)).toBeNull();
    expect(callbackUrlProblem('http://127.0.0.1:8080/hook', false)).toBeNull();
    expect(callbackUrlProblem('http://localhost/hook', false)).toBeNull();
    expect(callbackUrlProblem('http://[::1]:9000/hook', false)).toBeNull();
    expect(callbackUrlProblem('http://crm.internal/hook', true)).toBeNull();
  });

  it('refuses plain http elsewhere, other schemes, credentials in the URL and non-URLs', () => {
    expect(callbackUrlProblem('http://crm.example/hook', false)).toMatch(/https/);
    expect(callbackUrlProblem('ftp://crm.example/hook', true)).toMatch(/https/);
    expect(callbackUrlProblem('https://user:pw@crm.example/hook', false)).toMatch(/user or password/);
    expect(callbackUrlProblem('crm.example/hook', false)).toMatch(/absolute URL/);
  });
});
