import type { Socket } from 'socket.io-client';

type Listener = (...args: never[]) => void;
type AnswerOf<TListener extends Listener> = Parameters<Parameters<TListener>[1]>[0];

/** No acknowledgement in time (the connection dropped): the caller keeps the request to retry. */
export interface NoAnswer {
  readonly ok: false;
  readonly error: { readonly code: 'NO_ANSWER'; readonly message: string };
}

export type Answer<TListener extends Listener> = AnswerOf<TListener> | NoAnswer;

export const REQUEST_TIMEOUT_MS = 10_000;

/** Sends requests of one namespace's typed event map and resolves to the acknowledgement. */
export class SocketRequester<TEvents extends { [TEvent in keyof TEvents]: Listener }> {
  constructor(
    readonly socket: Socket,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {}

  async send<TEvent extends keyof TEvents & string>(
    event: TEvent,
    payload: Parameters<TEvents[TEvent]>[0],
  ): Promise<Answer<TEvents[TEvent]>> {
    try {
      return (await this.socket.timeout(this.timeoutMs).emitWithAck(event, payload)) as AnswerOf<
        TEvents[TEvent]
      >;
    } catch {
      return { ok: false, error: { code: 'NO_ANSWER', message: 'The server did not answer; retrying.' } };
    }
  }
}
