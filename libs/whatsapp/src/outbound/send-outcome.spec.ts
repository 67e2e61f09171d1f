import { classifySendAnswer, classifyTransportFailure } from './send-outcome';
import { lineOfUserContext, userContextOf } from './user-context';

describe('whether a failed POST /messages may have reached the customer', () => {
  it.each([408, 429])('%i: TynTec did not take it, a resend is safe (unavailable)', (status) => {
    expect(classifySendAnswer(status)).toBe('unavailable');
  });

  it.each([400, 401, 403, 404, 409, 413, 422])('%i: TynTec refused it for good (rejected)', (status) => {
    expect(classifySendAnswer(status)).toBe('rejected');
  });

  it.each([500, 502, 503, 504, 599])('%i: TynTec may have accepted it (ambiguous)', (status) => {
    expect(classifySendAnswer(status)).toBe('ambiguous');
  });

  it('a failure before the request was written whole is unavailable; after it, ambiguous', () => {
    expect(classifyTransportFailure(false)).toBe('unavailable');
    expect(classifyTransportFailure(true)).toBe('ambiguous');
  });
});

describe('the userContext of a line', () => {
  it('names the chat and the sequence, and reads back', () => {
    const chatUid = '3f0c9a52-7b1e-4d8a-9c61-2f4e8b7d1a90';
    expect(userContextOf(chatUid, 12)).toBe(`${chatUid}#12`);
    expect(lineOfUserContext(userContextOf(chatUid, 12))).toEqual({ chatUid, sequence: 12 });
  });

  it.each(['', 'my-message-reference', 'a#', '#3', 'a#0', 'a#-1', 'a#1.5', 'a#b#1', 'a#12345678901'])(
    'reads %j as none of ours',
    (userContext) => {
      expect(lineOfUserContext(userContext)).toBeNull();
    },
  );
});
