import { chooseServerUrl, toHttpOrigin } from './server-url';

describe('chooseServerUrl', () => {
  const scriptUrl = 'https://chat.example.com:3003/gui/widget.js';

  it('prefers the data-server attribute over everything', () => {
    expect(
      chooseServerUrl({
        explicit: 'wss://other.example.com',
        configured: 'wss://lb.example.com:3003',
        scriptUrl,
      }),
    ).toBe('https://other.example.com');
  });

  it('uses ACD.Chat.Server.Base.URL when it names a real host, turning ws(s) into http(s)', () => {
    expect(chooseServerUrl({ configured: 'wss://lb.example.com:3003', scriptUrl })).toBe(
      'https://lb.example.com:3003',
    );
    expect(chooseServerUrl({ configured: 'ws://lb.example.com:3000/', scriptUrl })).toBe(
      'http://lb.example.com:3000',
    );
  });

  it("skips the default localhost address when the script came from elsewhere, and uses the script's origin", () => {
    expect(chooseServerUrl({ configured: 'ws://localhost:3000', scriptUrl })).toBe(
      'https://chat.example.com:3003',
    );
    expect(
      chooseServerUrl({
        configured: 'ws://localhost:3000',
        scriptUrl: 'http://127.0.0.1:41234/gui/widget.js',
      }),
    ).toBe('http://127.0.0.1:41234');
  });

  it('keeps a localhost address when the script came from that very origin', () => {
    expect(
      chooseServerUrl({
        configured: 'ws://localhost:3000',
        scriptUrl: 'http://localhost:3000/gui/widget.js',
      }),
    ).toBe('http://localhost:3000');
  });

  it("falls back to the script's origin without a configured address", () => {
    expect(chooseServerUrl({ configured: null, scriptUrl })).toBe('https://chat.example.com:3003');
  });
});

describe('toHttpOrigin', () => {
  it('resolves a relative data-server against the page', () => {
    expect(toHttpOrigin('/', 'http://shop.example.com/cart')).toBe('http://shop.example.com');
  });
});
