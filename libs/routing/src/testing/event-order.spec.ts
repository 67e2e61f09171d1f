import { eventOrderViolations } from './event-order';

const log = (chatId: number, codes: string) => codes.split(' ').map((code) => ({ chatId, code }));

describe('eventOrderViolations', () => {
  it('accepts chats whose codes read in the order things happen', () => {
    expect(
      eventOrderViolations([
        ...log(1, 'MR CNR CQ QM QAC OP FL1 OC'),
        ...log(2, 'CNR AC ACR OP OL QAC OP VC OPF'),
        ...log(3, 'CNR CQ QM QTO SK'),
        ...log(4, 'CNR AC OP TRSS CNR AC OP OC'),
        ...log(5, 'CNR AC OP OC UC CNR AC OP VC'),
      ]),
    ).toEqual([]);
  });

  it('flags a queue code stored after a pickup, an intake code after the queue, and a move after the end', () => {
    expect(
      eventOrderViolations([...log(1, 'CNR OP CQ QM'), ...log(2, 'CQ CNR'), ...log(3, 'CNR OP OC OL')]),
    ).toEqual([
      'chat 1: CQ after it was held (event 2)',
      'chat 1: QM after it was held (event 3)',
      'chat 2: CNR after it was routing (event 5)',
      'chat 3: OL after it was ended (event 9)',
    ]);
  });

  it('tells chats apart when their events interleave', () => {
    expect(eventOrderViolations([...log(1, 'CNR'), ...log(2, 'CNR AC'), ...log(1, 'AC OP')])).toEqual([]);
  });
});
