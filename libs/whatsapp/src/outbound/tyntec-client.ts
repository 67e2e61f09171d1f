import {
  problemSchema,
  sendMessageAcceptedSchema,
  type SendMessageAccepted,
  type SendMessageRequest,
} from '@switchboard/protocol';

/** Why a TynTec call failed: `rejected` (a 4xx problem: resending the same request cannot help) or `unavailable`. */
export class TyntecError extends Error {
  constructor(
    readonly kind: 'rejected' | 'unavailable',
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
  /** @default 5000 */
  readonly timeoutMs?: number;
  /** Retries after a timeout, a network error or a 5xx. @default 3 */
  readonly retries?: number;
  /** First backoff; doubled per retry, with full jitter. @default 200 */
  readonly backoffMs?: number;
  /** @default 2000 */
  readonly maxBackoffMs?: number;
}

const DEFAULTS = { timeoutMs: 5000, retries: 3, backoffMs: 200, maxBackoffMs: 2000 };

/** A medium downloaded from TynTec. */
export interface DownloadedMedia {
  readonly contentType: string;
  readonly data: Buffer;
}

/**
 * The TynTec Conversations API v2 over HTTP: the one class that talks to TynTec (a v3 client can sit
 * beside it). Timeouts, network errors and 5xx answers are retried with exponential backoff and full
 * jitter; a 4xx problem answer is not (it names what is wrong with the request).
 */
export class TyntecClient {
  private readonly options: Required<TyntecClientOptions>;

  constructor(options: TyntecClientOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** `POST …/messages` → the id TynTec accepted the message under. */
  async send(apiKey: string, request: SendMessageRequest): Promise<SendMessageAccepted> {
    const response = await this.call(apiKey, this.options.messagesUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const accepted = sendMessageAcceptedSchema.safeParse(await response.json().catch(() => undefined));
    if (!accepted.success)
      throw new TyntecError('unavailable', 'TynTec accepted the message without a valid messageId');
    return accepted.data;
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

  private async call(apiKey: string, url: string, init: RequestInit): Promise<Response> {
    const { retries, timeoutMs } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      let failure: TyntecError;
      try {
        const response = await fetch(url, {
          ...init,
          headers: { ...init.headers, apikey: apiKey, accept: 'application/json, application/problem+json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.ok) return response;
        failure = await problemOf(response);
      } catch (error) {
        failure = new TyntecError(
          'unavailable',
          `TynTec did not answer ${init.method ?? 'GET'} ${url}: ${(error as Error).message}`,
        );
      }
      if (failure.kind === 'rejected' || attempt >= retries) throw failure;
      await new Promise((resolve) => setTimeout(resolve, this.backoff(attempt)));
    }
  }

  /** Full jitter: anywhere between 0 and the doubled backoff, so retrying senders spread out. */
  private backoff(attempt: number): number {
    return Math.random() * Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** attempt);
  }
}

async function problemOf(response: Response): Promise<TyntecError> {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 500);
  try {
    const problem = problemSchema.safeParse(JSON.parse(text));
    if (problem.success) detail = [problem.data.title, problem.data.detail].filter(Boolean).join(': ');
  } catch {
    // not JSON: keep the text
  }
  const kind =
    response.status >= 400 && response.status < 500 && response.status !== 429 ? 'rejected' : 'unavailable';
  return new TyntecError(kind, `TynTec answered ${response.status}: ${detail}`, response.status);
}
