// The server's clock, as its answers' Date header tells it. A token's `expiresAt` is on the
// server's clock; a till whose own clock is minutes off would otherwise think every token
// expired (and refresh before every request) or never refresh in time.

let offsetMs = 0;

/** Now, on the server's clock (the till's until the server has answered once). */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/**
 * Learns the offset from an answer's Date header (whole seconds: the server read its clock
 * somewhere in that second) and when the request left and the answer came, on the till's clock.
 */
export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  offsetMs = server + 500 - (sentAt + receivedAt) / 2;
}

/** fetch, noting the server's clock from every answer. */
export const clockedFetch: typeof fetch = async (input, init) => {
  const sentAt = Date.now();
  const response = await fetch(input, init);
  noteServerDate(response.headers.get('date'), sentAt, Date.now());
  return response;
};
