import { attachLine, uploadMedium } from './media-upload';

type Post = typeof fetch;

function answering(status: number, body: unknown): { post: Post; calls: Array<[string, RequestInit]> } {
  const calls: Array<[string, RequestInit]> = [];
  const post = ((url: string, init: RequestInit) => {
    calls.push([url, init]);
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as unknown as Post;
  return { post, calls };
}

describe('uploadMedium', () => {
  const file = new Blob(['png bytes'], { type: 'image/png' });

  it('posts the file with its type and the agent token, and answers the /attach command', async () => {
    const { post, calls } = answering(201, { storedName: 'a.png', attach: '/attach a.png' });
    expect(await uploadMedium('http://chat.test', 'agent-token', file, post)).toEqual({
      ok: true,
      attach: '/attach a.png',
    });
    const [url, init] = calls[0];
    expect(url).toBe('http://chat.test/whatsapp/upload');
    expect(init.headers).toEqual({ authorization: 'Bearer agent-token', 'content-type': 'image/png' });
    expect(init.body).toBe(file);
  });

  it('says why the connector refused the file (its own message)', async () => {
    const { post } = answering(415, { statusCode: 415, message: 'WhatsApp files must be one of image/jpeg' });
    expect(await uploadMedium('', 'token', file, post)).toEqual({
      ok: false,
      message: 'The file was not sent: WhatsApp files must be one of image/jpeg',
    });
  });

  it('says the server cannot be reached when the request fails', async () => {
    const post = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as Post;
    expect(await uploadMedium('', 'token', file, post)).toEqual({
      ok: false,
      message: 'The file was not sent: the server cannot be reached. Try again.',
    });
  });
});

describe('attachLine', () => {
  it('adds the caption the agent typed, if any', () => {
    expect(attachLine('/attach a.png', '  Your invoice ')).toBe('/attach a.png Your invoice');
    expect(attachLine('/attach a.png', ' ')).toBe('/attach a.png');
  });
});
