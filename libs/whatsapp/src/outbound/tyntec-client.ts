import {
  problemSchema,
  sendMessageAcceptedSchema,
  type SendMessageAccepted,
  type SendMessageRequest,
} from '@switchboard/protocol';
import { CircuitBreaker, CircuitOpenError, Retry, type ResilienceLogger } from '@switchboard/resilience';
import { PostFailure, postOnce } from './post-once';
import { classifySendAnswer, classifyTransportFailure, type SendFailureKind } from './send-outcome';

/**
 * Why a TynTec call failed: `rejected` (a 4xx problem: resending the same request cannot help),
 * `unavailable` (TynTec certainly did not act on it: safe to repeat) or, for a send only, `ambiguous`
 * (TynTec may have accepted the message: see send-outcome.ts).
 */
export class TyntecError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TyntecError';
  }
}

export interface TyntecClientOptions {
  /** The messages endpoint (`ACD.Whatsapp.Tyntec.Url`), read on every call so a parameter change applies at once. */
  readonly messagesUrl: () => string;
  /** How long one HTTP attempt may take before it is aborted. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Retries after a failure TynTec certainly did not act on (a send: refused connection, 408, 429; a
   * download or configuration call: also timeouts and 5xx). An ambiguous send is never retried. @default 3
   */
  readonly retries?: number;
  /** First backoff; doubled per retry, with full jitter. @default 200 */
  readonly backoffMs?: number;
  /** @default 2000 */
  readonly maxBackoffMs?: number;
  /** Attempts in a row that TynTec did not answer (timeout, network error, 5xx) which open the circuit. @default 5 */
  readonly failuresToOpen?: number;
  /** How long an open circuit fails calls at once before one probe goes through. @default 30000 */
  readonly halfOpenAfterMs?: number;
  /** Told when the circuit opens, probes and closes. @default console */
  readonly logger?: ResilienceLogger;
}

const DEFAULTS = {
  timeoutMs: 5000,
  retries: 3,
  backoffMs: 200,
  maxBackoffMs: 2000,
  failuresToOpen: 5,
  halfOpenAfterMs: 30_000,
};

/** A medium downloaded from TynTec. */
export interface DownloadedMedia {
  readonly contentType: string;
  readonly data: Buffer;
}

/**
 * The TynTec Conversations API v2 over HTTP: the one class that talks to TynTec (a v3 client can sit
 * beside it). Each attempt is bounded by `timeoutMs`; failures TynTec certainly did not act on are
 * retried with exponential backoff and full jitter; a 4xx problem answer is not (it names what is
 * wrong with the request), nor is a send that may have been accepted (`ambiguous`: a resend could
 * reach the customer twice). A circuit breaker stops calling a TynTec that keeps failing: while it is
 * open every call fails at once as `unavailable`, which the callers already retry later.
 *
 * note: worst case one call takes (retries + 1) × timeoutMs plus the pauses (about 21 s by default),
 * inside the outbound sender's 30 s lease, so no other sender takes the line over meanwhile.
 */
export class TyntecClient {
  private readonly options: Required<Omit<TyntecClientOptions, 'logger'>>;
  private readonly retry: Retry;
  private readonly breaker: CircuitBreaker;

  constructor(options: TyntecClientOptions) {
    this.options = { ...DEFAULTS, ...options };
    // The breaker only ever cuts attempts short, it never adds one; `ambiguous` is never retried.
    this.retry = new Retry({
      retries: this.options.retries,
      retryIf: (error) => error instanceof TyntecError && error.kind === 'unavailable',
      backoff: { initialMs: this.options.backoffMs, maxMs: this.options.maxBackoffMs, jitter: 'full' },
    });
    // A 429 or a 4xx concerns one account's requests, not whether TynTec is up: only silence and 5xx count.
    this.breaker = new CircuitBreaker({
      name: 'TynTec',
      isFailure: (error) =>
        error instanceof TyntecError &&
        (error.kind === 'ambiguous' || (error.kind === 'unavailable' && (error.status ?? 500) >= 500)),
      failuresToOpen: this.options.failuresToOpen,
      halfOpenAfterMs: this.options.halfOpenAfterMs,
      logger: options.logger ?? console,
    });
  }

  /**
   * `POST …/messages` → the id TynTec accepted the message under. Throws a `TyntecError`: `ambiguous`
   * when TynTec may have accepted it (never retried here: the caller waits for TynTec's status).
   */
  async send(apiKey: string, request: SendMessageRequest): Promise<SendMessageAccepted> {
    const url = this.options.messagesUrl();
    const body = JSON.stringify(request);
    return this.guarded(() => this.sendOnce(apiKey, url, body));
  }

  /** `GET …/media/{mediaId}`, refusing a body larger than `maxBytes`. */
  async downloadMedia(apiKey: string, mediaId: string, maxBytes: number): Promise<DownloadedMedia> {
    const response = await this.call(apiKey, `${this.apiBase()}/media/${encodeURIComponent(mediaId)}`, {
      method: 'GET',
    });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes)
      throw new TyntecError('rejected', `medium ${mediaId} has ${declared} bytes; the limit is ${maxBytes}`);
    const data = Buffer.from(await response.arrayBuffer());
    if (data.length > maxBytes)
      throw new TyntecError(
        'rejected',
        `medium ${mediaId} has ${data.length} bytes; the limit is ${maxBytes}`,
      );
    return {
      contentType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim(),
      data,
    };
  }

  /** `GET`/`PATCH …/applications/default`: the webhook configuration. */
  async application(apiKey: string, patch?: unknown): Promise<unknown> {
    const url = `${this.apiBase()}/applications/default`;
    const response = await this.call(
      apiKey,
      url,
      patch === undefined
        ? { method: 'GET' }
        : { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) },
    );
    return response.status === 204 ? undefined : response.json();
  }

  /** The API root: the messages endpoint without `/messages`. */
  private apiBase(): string {
    return this.options.messagesUrl().replace(/\/messages\/?$/, '');
  }

  private call(apiKey: string, url: string, init: RequestInit): Promise<Response> {
    return this.guarded(() => this.attempt(apiKey, url, init));
  }

  /** Runs attempts through the retry and the circuit breaker; an open circuit is `unavailable`. */
  private async guarded<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await this.retry.execute(() => this.breaker.execute(attempt));
    } catch (error) {
      if (error instanceof CircuitOpenError) throw new TyntecError('unavailable', error.message);
      throw error;
    }
  }

  /** One `POST …/messages`, its failure classified by whether TynTec may have accepted the message. */
  private async sendOnce(apiKey: string, url: string, body: string): Promise<SendMessageAccepted> {
    let answer: { status: number; body: string };
    try {
      answer = await postOnce(
        url,
        { 'content-type': 'application/json', accept: ACCEPT, apikey: apiKey },
        body,
        this.options.timeoutMs,
      );
    } catch (error) {
      const written = error instanceof PostFailure && error.written;
      const kind = classifyTransportFailure(written);
      throw new TyntecError(
        kind,
        `TynTec did not answer POST ${url}: ${(error as Error).message}` +
          (kind === 'ambiguous' ? ' (after the message was sent: TynTec may have accepted it)' : ''),
      );
    }
    if (answer.status >= 200 && answer.status < 300) {
      const accepted = sendMessageAcceptedSchema.safeParse(parseJson(answer.body));
      if (accepted.success) return accepted.data;
      throw new TyntecError(
        'ambiguous',
        `TynTec answered ${answer.status} without a valid messageId`,
        answer.status,
      );
    }
    throw problemOf(answer.status, answer.body, classifySendAnswer(answer.status));
  }

  /** One HTTP request, bounded by `timeoutMs`; a failure becomes a `TyntecError`. */
  private async attempt(apiKey: string, url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { ...init.headers, apikey: apiKey, accept: ACCEPT },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new TyntecError(
        'unavailable',
        `TynTec did not answer ${init.method ?? 'GET'} ${url}: ${(error as Error).message}`,
      );
    }
    if (response.ok) return response;
    // A repeated GET or PATCH does no harm: whatever a send would count as ambiguous is retried here.
    const kind = classifySendAnswer(response.status) === 'rejected' ? 'rejected' : 'unavailable';
    throw problemOf(response.status, await response.text().catch(() => ''), kind);
  }
}

const ACCEPT = 'application/json, application/problem+json';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** TynTec's problem answer as an error of `kind`, naming its title and detail (or the start of the body). */
function problemOf(status: number, text: string, kind: SendFailureKind): TyntecError {
  let detail = text.slice(0, 500);
  try {
    const problem = problemSchema.safeParse(JSON.parse(text));
    if (problem.success) detail = [problem.data.title, problem.data.detail].filter(Boolean).join(': ');
  } catch {
    // not JSON: keep the text
  }
  return new TyntecError(kind, `TynTec answered ${status}: ${detail}`, status);
}
