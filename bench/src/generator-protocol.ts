// The IPC messages between bench/src/main.ts and its load generator child processes.

export type GeneratorCommand =
  | {
      type: 'setup-switchboard';
      url: string;
      pairs: number;
      /** One agent connection per entry; agent i holds chats i*chatsPerAgent … (i+1)*chatsPerAgent-1. */
      agents: Array<{ username: string; password: string }>;
      chatsPerAgent: number;
      siteKey: string;
      sourceAddresses: number;
      /** Agents set up at once (default 20). */
      concurrency?: number;
      /** Status each agent sets once it holds its chats: 3 (Away, the default) or 1 (Chat, full). */
      finalStatus?: 1 | 3;
    }
  | {
      type: 'setup-bare';
      url: string;
      pairs: number;
      sourceAddresses: number;
      /** Chats per agent socket (default 1: a socket per side of every chat). */
      chatsPerAgent?: number;
    }
  | {
      type: 'login-storm';
      url: string;
      agents: Array<{ username: string; password: string }>;
      /** Log-ins start evenly spread over this time. */
      spreadMs: number;
      sourceAddresses: number;
    }
  | {
      type: 'slot-probe';
      url: string;
      siteKey: string;
      /** Probe agents: each picks up chatsPerAgent chats and stays in status 1 (Chat), full. */
      agents: Array<{ username: string; password: string }>;
      chatsPerAgent: number;
      /** Chats started after the probe agents are full: they wait in the queue. */
      queued: number;
      samples: number;
      intervalMs: number;
      sourceAddresses: number;
    }
  | { type: 'run'; mode: 'rate' | 'closed'; linesPerSecond: number; warmupMs: number; measureMs: number }
  | { type: 'open-idle'; url: string; count: number; concurrency: number; sourceAddresses: number }
  | { type: 'close' };

export type GeneratorReply =
  { type: 'done'; result: unknown } | { type: 'error'; message: string } | { type: 'progress'; text: string };

export interface SetupResult {
  readonly sockets: number;
  readonly elapsedMs: number;
}

export interface PhaseResult {
  readonly windowMs: number;
  /** Lines sent, acknowledged (persisted) and delivered to the peer within the window. */
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Open loop: turns skipped because the sender already had its maximum of unacknowledged lines. */
  readonly skipped: number;
  readonly errorSamples: string[];
  /** Send → peer receive, and send → acknowledgement, for what arrived within the window. */
  readonly latenciesMs: number[];
  readonly ackLatenciesMs: number[];
}

export interface LoginStormResult {
  readonly attempted: number;
  /** Answered ok / answered with an error / no answer within the timeout (or no connection). */
  readonly ok: number;
  readonly refused: number;
  readonly unanswered: number;
  readonly errorSamples: string[];
  /** agent:login request → answer; connect → answer excluded. */
  readonly loginMs: number[];
  readonly connectMs: number[];
  readonly elapsedMs: number;
}

export interface SlotProbeResult {
  readonly samples: number;
  /** chat:close sent → chat:offer of the next queued chat received by the same agent. */
  readonly offerMs: number[];
  readonly closeAckMs: number[];
  readonly missed: number;
  readonly errorSamples: string[];
  readonly queuedAtStart: number;
}

export interface IdleResult {
  readonly opened: number;
  readonly failures: number;
  readonly errorSamples: string[];
  readonly elapsedMs: number;
}
