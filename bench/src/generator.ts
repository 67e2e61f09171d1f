// The load generator: a child process (child_process.fork) of bench/src/main.ts, so that it never shares an
// event loop with a server under test. It holds socket.io-client sockets spread over 127.0.0.x source
// addresses and answers the commands of the parent (see GeneratorCommand) over the IPC channel.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type {
  GeneratorCommand,
  GeneratorReply,
  LoginStormResult,
  PhaseResult,
  SetupResult,
  SlotProbeResult,
} from './generator-protocol';

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
  // them up, then step away from the waiting list (status 3) so later chats are not pushed to it, or
  // (finalStatus 1, a contact center's shape) stay in status Chat with every slot taken.
  let ready = 0;
  await pooled(agents.length, command.concurrency ?? 20, async (agentIndex) => {
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
    await request(agent, 'agent:status', { status: command.finalStatus ?? 3 });
    agentSockets.push(agent);
    ready += 1;
    if (ready % 250 === 0) progress(`${ready} of ${agents.length} agents hold their chats`);
  });
}

function progress(text: string): void {
  process.send!({ type: 'progress', text });
}

async function setupBare(command: Extract<GeneratorCommand, { type: 'setup-bare' }>) {
  // One agent socket per chatsPerAgent chats (joined to each chat's room), one visitor socket per chat.
  const perAgent = command.chatsPerAgent ?? 1;
  await pooled(Math.ceil(command.pairs / perAgent), 50, async (agentIndex) => {
    const agent = open(command.url);
    await connected(agent);
    for (let offset = 0; offset < perAgent && agentIndex * perAgent + offset < command.pairs; offset += 1) {
      const chatUid = `room-${agentIndex * perAgent + offset}-${randomUUID().slice(0, 8)}`;
      const visitor = open(command.url);
      await connected(visitor);
      for (const [socket, role] of [
        [visitor, 'visitor'],
        [agent, 'agent'],
      ] as const) {
        await request(socket, 'join', { chatUid, role });
        const sender: Sender = { socket, chatUid, role, inFlight: 0 };
        listen(sender);
        senders.push(sender);
      }
    }
  });
}

/** Agents log in on fresh console connections, their starts evenly spread over spreadMs. */
async function loginStorm(
  command: Extract<GeneratorCommand, { type: 'login-storm' }>,
): Promise<LoginStormResult> {
  const loginMs: number[] = [];
  const connectMs: number[] = [];
  const samples = new Set<string>();
  let ok = 0;
  let refused = 0;
  let unanswered = 0;
  const started = performance.now();
  const gap = command.spreadMs / Math.max(1, command.agents.length);
  await Promise.all(
    command.agents.map(async (credentials, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * gap));
      const socket = open(`${command.url}/agent`);
      const connectStart = performance.now();
      try {
        await connected(socket);
      } catch (error) {
        unanswered += 1;
        samples.add(`connect: ${(error as Error).message}`);
        socket.disconnect();
        return;
      }
      connectMs.push(performance.now() - connectStart);
      const loginStart = performance.now();
      try {
        const answer = (await socket.timeout(20_000).emitWithAck('agent:login', credentials)) as {
          ok: boolean;
          error?: { code: string };
        };
        if (answer.ok) {
          ok += 1;
          loginMs.push(performance.now() - loginStart);
        } else {
          refused += 1;
          samples.add(answer.error?.code ?? 'unknown');
        }
      } catch (error) {
        unanswered += 1;
        samples.add((error as Error).message);
      }
      idle.push(socket);
      if ((ok + refused + unanswered) % 250 === 0)
        progress(`${ok + refused + unanswered} of ${command.agents.length} log-ins answered or timed out`);
    }),
  );
  return {
    attempted: command.agents.length,
    ok,
    refused,
    unanswered,
    errorSamples: [...samples].slice(0, 5),
    loginMs,
    connectMs,
    elapsedMs: performance.now() - started,
  };
}

/**
 * Probe agents hold chatsPerAgent chats each and stay in status 1 (Chat); then `queued` more chats
 * are started, which wait in the queue (no agent has a free slot). Each sample closes one chat of one
 * probe agent and times the close until that agent receives the chat:offer of the next queued chat,
 * which it accepts, so that it is full again before the next sample.
 */
async function slotProbe(
  command: Extract<GeneratorCommand, { type: 'slot-probe' }>,
): Promise<SlotProbeResult> {
  const { url, siteKey, chatsPerAgent } = command;
  const probes: Array<{ socket: Socket; chats: string[]; offers: Array<(chatUid: string) => void> }> = [];
  await pooled(command.agents.length, 10, async (index) => {
    const chats: string[] = [];
    for (let offset = 0; offset < chatsPerAgent; offset += 1) {
      const visitor = open(`${url}/visitor`);
      await connected(visitor);
      idle.push(visitor);
      const started = await request<{ chat: { chatUid: string } }>(visitor, 'chat:start', {
        siteKey,
        visitorName: `Slot probe visitor ${index}-${offset}`,
      });
      chats.push(started.chat.chatUid);
    }
    const socket = open(`${url}/agent`);
    await connected(socket);
    idle.push(socket);
    await request(socket, 'agent:login', command.agents[index]);
    await request(socket, 'agent:status', { status: 1 });
    for (const chatUid of chats) await request(socket, 'chat:pickup', { chatUid });
    const probe = { socket, chats, offers: [] as Array<(chatUid: string) => void> };
    socket.on('chat:offer', (offer: { chat: { chatUid: string } }) => {
      const waiter = probe.offers.shift();
      waiter?.(offer.chat.chatUid);
    });
    probes.push(probe);
  });
  // The queue: visitors whose chats nobody can take yet.
  await pooled(command.queued, 20, async (index) => {
    const visitor = open(`${url}/visitor`);
    await connected(visitor);
    idle.push(visitor);
    await request(visitor, 'chat:start', { siteKey, visitorName: `Queued visitor ${index}` });
  });
  // Let routing's first passes over the new chats settle (offers to nobody, the chats queued).
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const offerMs: number[] = [];
  const closeAckMs: number[] = [];
  const samples = new Set<string>();
  let missed = 0;
  for (let sample = 0; sample < command.samples; sample += 1) {
    const probe = probes[sample % probes.length];
    const chatUid = probe.chats.shift()!;
    const offered = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 10_000);
      probe.offers.push((uid) => (clearTimeout(timer), resolve(uid)));
    });
    const begin = performance.now();
    try {
      await request(probe.socket, 'chat:close', { chatUid });
      closeAckMs.push(performance.now() - begin);
    } catch (error) {
      samples.add((error as Error).message);
    }
    const offeredUid = await offered;
    if (offeredUid === undefined) {
      missed += 1;
      probe.offers.length = 0;
      samples.add('no offer within 10 s');
      continue;
    }
    offerMs.push(performance.now() - begin);
    try {
      await request(probe.socket, 'chat:accept', { chatUid: offeredUid });
      probe.chats.push(offeredUid);
    } catch (error) {
      samples.add((error as Error).message);
    }
    await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
  }
  return {
    samples: command.samples,
    offerMs,
    closeAckMs,
    missed,
    errorSamples: [...samples].slice(0, 5),
    queuedAtStart: command.queued,
  };
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
        case 'login-storm':
          sourceCount = message.sourceAddresses;
          reply({ type: 'done', result: await loginStorm(message) });
          break;
        case 'slot-probe':
          sourceCount = message.sourceAddresses;
          reply({ type: 'done', result: await slotProbe(message) });
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
