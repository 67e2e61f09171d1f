import { LineOrderer } from './line-orderer';

interface Line {
  sequence: number;
}

function makeOrderer(database: Line[] = []) {
  const emitted: Array<[string, number]> = [];
  const fetches: number[] = [];
  const orderer = new LineOrderer<Line>({
    emit: (chatUid, line) => emitted.push([chatUid, line.sequence]),
    fetchAfter: (_chatUid, after) => {
      fetches.push(after);
      return Promise.resolve(database.filter((line) => line.sequence > after));
    },
    gapWaitMs: 10,
  });
  return { orderer, emitted, fetches };
}

const line = (sequence: number): Line => ({ sequence });
const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('LineOrderer', () => {
  it('emits lines in sequence order once each', () => {
    const { orderer, emitted } = makeOrderer();
    orderer.track('c1', 0);
    orderer.accept('c1', line(1));
    orderer.accept('c1', line(2));
    orderer.accept('c1', line(2));
    expect(emitted).toEqual([
      ['c1', 1],
      ['c1', 2],
    ]);
  });

  it('holds a line that arrived early until the one before it arrives', () => {
    const { orderer, emitted, fetches } = makeOrderer();
    orderer.track('c1', 4);
    orderer.accept('c1', line(6));
    expect(emitted).toEqual([]);
    orderer.accept('c1', line(5));
    expect(emitted).toEqual([
      ['c1', 5],
      ['c1', 6],
    ]);
    expect(fetches).toEqual([]);
  });

  it('fills a gap that does not close by itself from the database', async () => {
    const { orderer, emitted, fetches } = makeOrderer([line(1), line(2), line(3)]);
    orderer.track('c1', 0);
    orderer.accept('c1', line(3));
    await settle();
    expect(fetches).toEqual([0]);
    expect(emitted.map(([, sequence]) => sequence)).toEqual([1, 2, 3]);
  });

  it('ignores chats no client of this node follows, and lines its clients already have', () => {
    const { orderer, emitted } = makeOrderer();
    orderer.accept('c2', line(1));
    orderer.track('c1', 7);
    orderer.accept('c1', line(7));
    expect(emitted).toEqual([]);
  });

  it('catches every tracked chat up from the database on resync', async () => {
    const { orderer, emitted } = makeOrderer([line(1), line(2)]);
    orderer.track('c1', 0);
    orderer.track('c2', 1);
    await orderer.resync();
    expect(emitted).toEqual([
      ['c1', 1],
      ['c1', 2],
      ['c2', 2],
    ]);
  });

  it('forgets an untracked chat and its pending lines', async () => {
    const { orderer, emitted, fetches } = makeOrderer([line(1), line(2)]);
    orderer.track('c1', 0);
    orderer.accept('c1', line(2));
    orderer.untrack('c1');
    await settle();
    expect(fetches).toEqual([]);
    expect(emitted).toEqual([]);
  });
});
