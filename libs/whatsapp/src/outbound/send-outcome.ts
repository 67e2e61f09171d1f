/**
 * Whether a failed `POST /messages` may have reached the customer.
 *
 * - `rejected`: TynTec answered that it will not send it (a 4xx problem other than 408/429): resending
 *   the same request cannot help.
 * - `unavailable`: TynTec certainly did not take it — the request never left whole (connection
 *   refused, DNS, a connect that timed out, the circuit open) or TynTec said so (408, 429): safe to resend.
 * - `ambiguous`: the request was written and then the answer was lost (a timeout, a reset, a closed
 *   connection), TynTec answered 5xx, or a 2xx without a messageId. TynTec may have accepted it, and its
 *   Chat API v2 has no idempotency key and no look-up by our reference, so a resend may reach the
 *   customer twice: it is never resent; TynTec's status webhook (with our `userContext`) settles it.
 */
export type SendFailureKind = 'rejected' | 'unavailable' | 'ambiguous';

/** The kind of failure an HTTP answer other than 2xx is, for a `POST /messages`. */
export function classifySendAnswer(status: number): SendFailureKind {
  if (status === 408 || status === 429) return 'unavailable';
  // note: TynTec's spec (chat-api/v2/openapi.yaml) documents 400 and 403 and a problem `default`;
  // nothing says a 5xx means "not accepted" (a gateway's 502/504 may follow an accepted message).
  if (status >= 500) return 'ambiguous';
  return 'rejected';
}

/**
 * The kind of failure a request that got no answer is: ambiguous once the whole request was handed to
 * the network (`written`), unavailable before (TynTec cannot have a request it never received whole).
 */
export function classifyTransportFailure(written: boolean): SendFailureKind {
  return written ? 'ambiguous' : 'unavailable';
}
