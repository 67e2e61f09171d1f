import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatLoad, startTalking, type Pair } from './chat-load';

// deploy/rolling-update.sh against `npm run cluster` while visitors and agents chat through HAProxy:
// every member and node is stopped, updated and started in turn, and no line is lost or doubled
// (checked over the database and both sides' transcripts).

let load: ChatLoad;
let pairs: Pair[] = [];

beforeAll(async () => {
  load = await ChatLoad.start();
}, 300_000);

afterAll(async () => {
  pairs.flat().forEach((side) => side.close());
  await load?.stop();
}, 120_000);

it('updates both members, routing and both nodes one at a time while clients chat, losing and doubling nothing', async () => {
  pairs = await load.openPairs(load.cluster.wsUrl, 4);
  const updates = join(load.cluster.directory, 'updates.log');
  const stopTalking = startTalking(pairs, 250);
  let output: string;
  try {
    output = await load.cluster.rollingUpdate(`echo {name} >> ${updates}`);
    await new Promise((done) => setTimeout(done, 1000));
  } finally {
    stopTalking();
  }
  expect(readFileSync(updates, 'utf8').split('\n').filter(Boolean)).toEqual([
    'hazelcast-1',
    'hazelcast-2',
    'routing',
    'client-messenger-1',
    'client-messenger-2',
  ]);
  expect(output).toMatch(/client-messenger-1 drained: its clients moved to the other nodes/);
  expect(output).toMatch(/node client-messenger-2 updated and back in HAProxy/);
  // Every client was on a node that was drained at some point: each reconnected at least once.
  expect(
    pairs
      .flat()
      .map((side) => side.disconnects)
      .filter((count) => count === 0),
  ).toEqual([]);
  await load.expectNothingLostNorDoubled(pairs);
}, 400_000);
