import { autoResponseText } from './auto-responses';

describe('automatic WhatsApp answers', () => {
  it('speak the connector language, with or without a region', () => {
    expect(autoResponseText('greeting', 'de')).toMatch(/^Vielen Dank/);
    expect(autoResponseText('closed', 'de-DE')).toMatch(/^Dieser Chat ist beendet/);
  });

  it('fall back to English for a language without texts', () => {
    expect(autoResponseText('greeting', 'pt')).toBe(autoResponseText('greeting', 'en'));
  });
});
