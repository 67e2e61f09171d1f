import { matchTextRule, textRulePhrasePattern } from './text-rules';

describe('matchTextRule', () => {
  const rules = ['idiot', 'shut up', "don't"];

  it.each([
    ['You are an IDIOT!', 'idiot'],
    ['shut   up, please', 'shut up'],
    ['Shut-up', null],
    ['I said: shut\nup', 'shut up'],
    ["Don't do that", "don't"],
    ['idiotic question', null],
    ['up shut', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(matchTextRule(rules, text)).toBe(expected);
  });

  it('matches the first rule in order', () => {
    expect(matchTextRule(['shut up', 'idiot'], 'idiot, shut up')).toBe('shut up');
  });

  it('reads a long text in one pass whatever the rules', () => {
    const text = `${'a '.repeat(50_000)}b`;
    expect(matchTextRule(['a a a a a a a a a a c', 'a b'], text)).toBe('a b');
  });
});

describe('textRulePhrasePattern', () => {
  it.each(['idiot', 'shut up', "don't", 'wörd 42', 'self-harm'])('accepts %j', (phrase) => {
    expect(textRulePhrasePattern.test(phrase)).toBe(true);
  });

  it.each(['(a+)+', 'a.*b', '', ' leading', 'two  spaces', 'trailing ', 'x|y', '[abc]'])(
    'refuses the pattern or malformed phrase %j',
    (phrase) => {
      expect(textRulePhrasePattern.test(phrase)).toBe(false);
    },
  );
});
