import { escapeXml } from './xml';

// XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): what a well-formed document may hold.
const xmlCharacter = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('escapeXml', () => {
  it('escapes markup', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['U+0001', 'a\u0001b'],
    ['a lone surrogate', 'a\uD800b'],
    ['U+FFFF', 'a\uFFFFb'],
  ])('replaces %s, which XML 1.0 cannot hold, with U+FFFD', (_name, text) => {
    const escaped = escapeXml(text);
    expect(escaped).toBe('a\uFFFDb');
    expect(xmlCharacter.test(escaped)).toBe(true);
  });

  it('keeps tab, newline, carriage return and characters outside the BMP', () => {
    expect(escapeXml('a\tb\nc\rd 😀 é')).toBe('a\tb\nc\rd 😀 é');
  });
});
