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
    }
  | { type: 'setup-bare'; url: string; pairs: number; sourceAddresses: number }
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

export interface IdleResult {
  readonly opened: number;
  readonly failures: number;
  readonly errorSamples: string[];
  readonly elapsedMs: number;
}
