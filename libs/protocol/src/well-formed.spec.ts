import { withWellFormedText } from './well-formed';

describe('withWellFormedText', () => {
  it('replaces lone surrogates with U+FFFD in strings, keys and nested values', () => {
    expect(
      withWellFormedText({ text: 'a\uD800b', list: ['\uDC00', 7, null], ['k\uDBFF']: { deep: 'x\uDFFF' } }),
    ).toEqual({ text: 'a\uFFFDb', list: ['\uFFFD', 7, null], ['k\uFFFD']: { deep: 'x\uFFFD' } });
  });

  it('keeps surrogate pairs (emoji) and plain text as they are', () => {
    expect(withWellFormedText({ text: 'hi 😀 \u00e9', flag: true })).toEqual({
      text: 'hi 😀 \u00e9',
      flag: true,
    });
  });

  it('replaces each half of a reversed pair', () => {
    expect(withWellFormedText('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
  });
});
