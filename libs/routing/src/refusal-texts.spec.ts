import { refusalText } from './refusal-texts';

describe('refusalText', () => {
  it("shows the site's offline message when nobody is online (OF) or the site is closed (OO)", () => {
    expect(refusalText('OF', null, 'Back at 9 tomorrow.')).toBe('Back at 9 tomorrow.');
    expect(refusalText('OO', null, 'Back at 9 tomorrow.')).toBe('Back at 9 tomorrow.');
  });

  it("prefers the move's own message (a rule's)", () => {
    expect(refusalText('SK', 'Call us instead.', 'Back at 9.')).toBe('Call us instead.');
  });

  it('never shows the event log text of the code to the visitor', () => {
    for (const code of ['OF', 'OO', 'CQM', 'CQT', 'QTO', 'SK', 'QL', 'QERR']) {
      const text = refusalText(code, null, null);
      expect(text).not.toMatch(/operator|Chat not|Time-Out/i);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});
