import { autoResponseText, endingResponse } from './auto-responses';

describe('automatic WhatsApp answers', () => {
  it('speak the connector language, with or without a region', () => {
    expect(autoResponseText('greeting', 'de')).toMatch(/^Vielen Dank/);
    expect(autoResponseText('closed', 'de-DE')).toMatch(/^Dieser Chat ist beendet/);
  });

  it('fall back to English for a language without texts', () => {
    expect(autoResponseText('greeting', 'pt')).toBe(autoResponseText('greeting', 'en'));
  });
});

describe('queue and refusal answers', () => {
  it('say the position, with the expected wait in whole minutes when the ACD has one', () => {
    const queue = { position: 2, expectedWaitSeconds: 90 };
    expect(autoResponseText('queuePosition', 'en', queue)).toBe(
      'You are number 2 in the queue. Expected wait: about 2 min.',
    );
    expect(autoResponseText('queuePosition', 'en', { position: 1, expectedWaitSeconds: 5 })).toMatch(
      /about 1 min\.$/,
    );
    expect(autoResponseText('queuePosition', 'fr', { position: 7, expectedWaitSeconds: null })).toBe(
      "Vous êtes numéro 7 dans la file d'attente.",
    );
  });

  it("map routing's refusal codes to the customer's reason; any other ending is a goodbye", () => {
    expect(['OO', 'OF', 'CQM', 'CQT', 'QTO', 'OC', null].map(endingResponse)).toEqual([
      'outsideHours',
      'noAgents',
      'queueFull',
      'queueFull',
      'queueTimeout',
      'closed',
      'closed',
    ]);
  });

  it('have every text in every language', () => {
    for (const language of ['en', 'de', 'fr', 'es', 'it', 'nl'])
      for (const response of [
        'greeting',
        'outsideHours',
        'noAgents',
        'queueFull',
        'queueTimeout',
        'closed',
      ] as const)
        expect(autoResponseText(response, language)).toMatch(/\S/);
  });
});
