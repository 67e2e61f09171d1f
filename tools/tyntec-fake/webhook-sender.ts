/** One webhook POST as the fake made it, for tests to inspect. */
export interface WebhookAttempt {
  readonly url: string;
  readonly body: unknown;
  /** HTTP status of the answer, or 0 when the connection failed. */
  readonly status: number;
}

/**
 * POSTs a webhook body the way TynTec does: retried on **any** non-2xx answer (4xx included),
 * at most `retries` more times, `retryDelayMs` apart.
 */
export async function postWebhook(
  url: string,
  body: unknown,
  options: { readonly retries: number; readonly retryDelayMs: number },
  record: (attempt: WebhookAttempt) => void,
): Promise<void> {
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    let status = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    record({ url, body, status });
    if (status >= 200 && status < 300) return;
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  }
}
