import { createHash } from "node:crypto";
import { env } from "../env";
import { consume } from "../limits/rate-limit";
import { normaliseEmail } from "./adapter";
import { logError } from "../log";

// How many sign-in links may be asked for: per email address (an inbox cannot be flooded) and per
// client address (one client cannot work through a list of addresses). Over either limit the asker
// sees the same "check your email" page and no token is made.

const WINDOW_SECONDS = 10 * 60;

/** Keys hold a hash, not the address: the rate_limits table is no list of who tried to sign in. */
function hashed(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 32);
}

export type SignInLimit = { allowed: true } | { allowed: false; which: "address" | "client" };

export async function signInLinkAllowed(email: string, clientAddress: string | null): Promise<SignInLimit> {
  const e = env();
  const onError = (error: Error) => logError(error, { limit: "sign-in" }, "rate limit store unavailable: allowing the request");
  // Clients whose address cannot be read share one allowance, rather than escaping the limit.
  const byClient = await consume(
    { name: "sign-in-client", points: e.signInLinksPerClient, durationSeconds: WINDOW_SECONDS },
    hashed(clientAddress ?? "unknown"),
    onError,
  );
  if (!byClient.allowed) return { allowed: false, which: "client" };
  const byAddress = await consume(
    { name: "sign-in-address", points: e.signInLinksPerAddress, durationSeconds: WINDOW_SECONDS },
    hashed(normaliseEmail(email)),
    onError,
  );
  return byAddress.allowed ? { allowed: true } : { allowed: false, which: "address" };
}
