import { linkParts } from './linkify';

describe('linkParts', () => {
  it('links http and https addresses and leaves the rest as text', () => {
    expect(linkParts('See https://example.com/a?b=1, or http://x.test.')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ', or ' },
      { text: 'http://x.test', href: 'http://x.test/' },
      { text: '.' },
    ]);
  });

  it('gives www. addresses https', () => {
    expect(linkParts('www.example.com')).toEqual([
      { text: 'www.example.com', href: 'https://www.example.com/' },
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '<a href="https://x.test">x</a>',
    'plain text',
  ])('never links anything but http(s): %s', (text) => {
    expect(linkParts(text).filter((part) => part.href && !/^https?:\/\//.test(part.href))).toEqual([]);
    expect(
      linkParts(text)
        .map((part) => part.text)
        .join(''),
    ).toBe(text);
  });
});
