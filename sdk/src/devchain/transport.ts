import { http } from "viem";
import type { HttpTransport } from "viem";

/** Error codes of a socket that closed before any answer came back (undici's and the kernel's). */
const CLOSED_BEFORE_ANSWER = new Set(["UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNRESET", "EPIPE"]);
const ATTEMPTS = 4;

function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" && CLOSED_BEFORE_ANSWER.has(cause.code);
}

/**
 * `fetch`, sent again when the connection closed before the node answered. That is the race of a
 * kept-alive socket that the server closes just as the client reuses it ("other side closed"),
 * which a busy machine makes likely: the request never reached the node, so sending it again is
 * safe even for a transaction. An answer, an error answer included, is never sent again.
 */
async function fetchAgainIfClosed(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (attempt >= ATTEMPTS || !closedBeforeAnswer(error)) throw error;
      await new Promise((resolveLater) => setTimeout(resolveLater, 25 * attempt));
    }
  }
}

/**
 * The one transport of every client the tests, the benchmarks and the local stack point at the
 * development node. The node is local and its JSON-RPC errors are answers (a revert is -32603), so
 * viem's own retries stay off: a revert must fail at once, not after three backoffs. Only a
 * connection that closed before the answer is tried again (`fetchAgainIfClosed`).
 */
export function devTransport(url: string): HttpTransport {
  return http(url, { retryCount: 0, fetchFn: fetchAgainIfClosed });
}
