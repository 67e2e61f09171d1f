import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** TynTec's answer to one POST: its status and (the first `maxAnswerBytes` of) its body. */
export interface PostAnswer {
  readonly status: number;
  readonly body: string;
}

/** A POST that got no answer; `written` says whether the whole request had been handed to the network. */
export class PostFailure extends Error {
  constructor(
    message: string,
    readonly written: boolean,
  ) {
    super(message);
    this.name = 'PostFailure';
  }
}

/**
 * One HTTP POST, bounded by `timeoutMs`, that tells a failure before the request left (nothing can have
 * been accepted) from one after it (the answer was lost). `fetch` cannot tell them apart, hence
 * node:http here. Each POST has its own connection (no keep-alive): a reused idle connection the other
 * side has just closed fails after the write, which would make an unsent message look ambiguous.
 */
export function postOnce(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
  maxAnswerBytes = 64 * 1024,
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let written = false;
    let settled = false;
    const request = send(target, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (reason: string) =>
      finish(() => {
        request.destroy();
        reject(new PostFailure(reason, written));
      });
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    // 'finish': the last byte of the request was handed to the operating system.
    request.on('finish', () => (written = true));
    request.on('error', (error) => fail(error.message));
    request.on('response', (response) => {
      written = true;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxAnswerBytes) chunks.push(chunk);
      });
      response.on('error', (error) => fail(`the answer broke off: ${error.message}`));
      response.on('aborted', () => fail('the answer broke off'));
      response.on('end', () =>
        finish(() =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        ),
      );
    });
    request.end(body);
  });
}
