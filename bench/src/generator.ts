// The load generator: a child process (child_process.fork) of bench/src/main.ts, so that it never shares an
// event loop with a server under test. It holds socket.io-client sockets spread over 127.0.0.x source
// addresses and answers the commands of the parent (see GeneratorCommand) over the IPC channel.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { GeneratorCommand, GeneratorReply, PhaseResult, SetupResult } from './generator-protocol';

interface Sender {
  readonly socket: Socket;
  readonly chatUid: string;
  readonly role: 'visitor' | 'agent';
  inFlight: number;
}

const ACK_TIMEOUT_MS = 10_000;
/** Open loop: a sender with this many unacknowledged lines skips its turn (counted), so a backlog stays bounded. */
const MAX_IN_FLIGHT = 2;
let lastReceiveAt = 0;
const senders: Sender[] = [];
const idle: Socket[] = [];
const agentSockets: Socket[] = [];
let nextSource = 0;
let sourceCount = 1;

// Measurement state of the running phase.
let measuring = false;
let sentInWindow = 0;
let ackedInWindow = 0;
let deliveredInWindow = 0;
let errors = 0;
let timeouts = 0;
let skipped = 0;
let latencies: number[] = [];
let ackLatencies: number[] = [];
const errorSamples = new Set<string>();

function sourceAddress(): string {
  // 127.0.0.2 … 127.0.0.(1+sourceCount): each source IP has its own ephemeral port range.
  const index = nextSource++ % sourceCount;
  return `127.0.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`;
}

function open(url: string, auth: Record<string, string> = {}): Socket {
  return io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
    localAddress: sourceAddress(),
  } as Parameters<typeof io>[1]);
}

function connected(socket: Socket, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    socket.once('connect_error', (error) => (clearTimeout(timer), reject(error)));
  });
}

async function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const answer = (await socket.timeout(20_000).emitWithAck(event, payload)) as
    ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };
  if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
  return answer;
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once. */
async function pooled(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function listen(sender: Sender): void {
  // A line carries its send time (this process's clock); the peer's receipt ends its latency.
  sender.socket.on('chat:line', (line: { chatUid: string; sender: string; text: string }) => {
    if (line.chatUid !== sender.chatUid) return;
    lastReceiveAt = performance.now();
    const fromPeer = sender.role === 'visitor' ? line.sender !== 'visitor' : line.sender === 'visitor';
    if (!fromPeer || !measuring) return;
    const sentAt = Number(line.text.slice(2, line.text.indexOf(' ')));
    if (!Number.isFinite(sentAt)) return;
    deliveredInWindow += 1;
    latencies.push(performance.now() - sentAt);
  });
}

async function setupSwitchboard(command: Extract<GeneratorCommand, { type: 'setup-switchboard' }>) {
  const { url, pairs, agents, chatsPerAgent, siteKey } = command;
  // Per agent (one console connection, as one browser tab): open its chats as visitors, log in, pick
  // them up, then step away from the waiting list (status 3) so later chats are not pushed to it.
  await pooled(agents.length, 20, async (agentIndex) => {
    const first = agentIndex * chatsPerAgent;
    const count = Math.min(chatsPerAgent, pairs - first);
    const visitors = await Promise.all(
      Array.from({ length: count }, async (_, offset) => {
        const visitor = open(`${url}/visitor`);
        await connected(visitor);
        const started = await request<{ chat: { chatUid: string } }>(visitor, 'chat:start', {
          siteKey,
          visitorName: `Bench visitor ${first + offset}`,
        });
        return { visitor, chatUid: started.chat.chatUid };
      }),
    );
    const agent = open(`${url}/agent`);
    await connected(agent);
    await request(agent, 'agent:login', agents[agentIndex]);
    for (const { visitor, chatUid } of visitors) {
      await request(agent, 'chat:pickup', { chatUid });
      for (const [socket, role] of [
        [visitor, 'visitor'],
        [agent, 'agent'],
      ] as const) {
        const sender: Sender = { socket, chatUid, role, inFlight: 0 };
        listen(sender);
        senders.push(sender);
      }
    }
    await request(agent, 'agent:status', { status: 3 });
    agentSockets.push(agent);
  });
}

async function setupBare(command: Extract<GeneratorCommand, { type: 'setup-bare' }>) {
  await pooled(command.pairs, 50, async (index) => {
    const chatUid = `room-${index}-${randomUUID().slice(0, 8)}`;
    for (const role of ['visitor', 'agent'] as const) {
      const socket = open(command.url);
      await connected(socket);
      await request(socket, 'join', { chatUid, role });
      const sender: Sender = { socket, chatUid, role, inFlight: 0 };
      listen(sender);
      senders.push(sender);
    }
  });
}

function send(sender: Sender, onDone?: () => void): void {
  const startedAt = performance.now();
  const inWindow = measuring;
  if (inWindow) sentInWindow += 1;
  sender.inFlight += 1;
  sender.socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('chat:send', {
      chatUid: sender.chatUid,
      text: `t=${startedAt} bench line`,
      clientMessageId: randomUUID(),
    })
    .then(
      (answer: { ok: boolean; error?: { code: string } }) => {
        if (answer.ok) {
          if (measuring) {
            ackedInWindow += 1;
            ackLatencies.push(performance.now() - startedAt);
          }
        } else if (measuring) {
          errors += 1;
          errorSamples.add(answer.error?.code ?? 'unknown');
        }
      },
      (error: Error) => {
        if (measuring) {
          timeouts += 1;
          errorSamples.add(error.message);
        }
      },
    )
    .finally(() => {
      sender.inFlight -= 1;
      onDone?.();
    });
}

async function runPhase(command: Extract<GeneratorCommand, { type: 'run' }>): Promise<PhaseResult> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const begin = performance.now();
  if (command.mode === 'rate') {
    // Open loop: lines leave at the target rate whatever the server does, round-robin over the senders.
    let sent = 0;
    let cursor = 0;
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - begin) / 1000) * command.linesPerSecond) - sent;
      for (let index = 0; index < due; index += 1) {
        if (senders[cursor].inFlight < MAX_IN_FLIGHT) send(senders[cursor]);
        else if (measuring) skipped += 1;
        cursor = (cursor + 1) % senders.length;
      }
      sent += Math.max(0, due);
    }, 5);
  } else {
    // Closed loop: every sender writes its next line when the previous one is acknowledged.
    const loop = (sender: Sender) => {
      if (!stopped) send(sender, () => setImmediate(() => loop(sender)));
    };
    senders.forEach(loop);
  }
  await new Promise((resolve) => setTimeout(resolve, command.warmupMs));
  measuring = true;
  sentInWindow = ackedInWindow = deliveredInWindow = errors = timeouts = skipped = 0;
  latencies = [];
  ackLatencies = [];
  errorSamples.clear();
  const windowStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, command.measureMs));
  const windowMs = performance.now() - windowStart;
  measuring = false;
  stopped = true;
  if (timer) clearInterval(timer);
  const result: PhaseResult = {
    windowMs,
    sent: sentInWindow,
    acked: ackedInWindow,
    delivered: deliveredInWindow,
    errors,
    timeouts,
    skipped,
    errorSamples: [...errorSamples].slice(0, 5),
    latenciesMs: latencies,
    ackLatenciesMs: ackLatencies,
  };
  // Drain: wait until nothing is in flight and no line has arrived for a second (the servers may
  // still be working through lines whose acknowledgement timed out), so phases do not overlap.
  const drainUntil = performance.now() + 60_000;
  while (
    (senders.some((sender) => sender.inFlight > 0) || performance.now() - lastReceiveAt < 1000) &&
    performance.now() < drainUntil
  )
    await new Promise((resolve) => setTimeout(resolve, 100));
  return result;
}

async function openIdle(command: Extract<GeneratorCommand, { type: 'open-idle' }>) {
  let failures = 0;
  const firstErrors = new Set<string>();
  const started = performance.now();
  await pooled(command.count, command.concurrency, async () => {
    const socket = open(`${command.url}/visitor`);
    try {
      await connected(socket);
      idle.push(socket);
      if (idle.length % 1000 === 0)
        process.send!({ type: 'progress', text: `${idle.length} idle sockets open` });
    } catch (error) {
      failures += 1;
      firstErrors.add((error as Error).message);
      socket.disconnect();
    }
  });
  // The ones still open after the run (a node or HAProxy may have dropped some meanwhile).
  return {
    opened: idle.filter((socket) => socket.connected).length,
    failures,
    errorSamples: [...firstErrors].slice(0, 5),
    elapsedMs: performance.now() - started,
  };
}

function closeAll(): void {
  for (const sender of senders) sender.socket.disconnect();
  senders.length = 0;
  agentSockets.length = 0;
  for (const socket of idle) socket.disconnect();
  idle.length = 0;
}

process.on('message', (message: GeneratorCommand) => {
  const reply = (body: GeneratorReply) => process.send!(body);
  void (async () => {
    try {
      switch (message.type) {
        case 'setup-switchboard':
        case 'setup-bare': {
          sourceCount = message.sourceAddresses;
          const started = performance.now();
          if (message.type === 'setup-switchboard') await setupSwitchboard(message);
          else await setupBare(message);
          const result: SetupResult = {
            sockets: new Set(senders.map((sender) => sender.socket)).size,
            elapsedMs: performance.now() - started,
          };
          reply({ type: 'done', result });
          break;
        }
        case 'run':
          reply({ type: 'done', result: await runPhase(message) });
          break;
        case 'open-idle':
          sourceCount = message.sourceAddresses;
          reply({ type: 'done', result: await openIdle(message) });
          break;
        case 'close':
          closeAll();
          reply({ type: 'done', result: {} });
          break;
      }
    } catch (error) {
      reply({ type: 'error', message: (error as Error).stack ?? String(error) });
    }
  })();
});
