import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Which addresses an endpoint may have (docs/decisions/020-webhooks.md, "Addresses"). In production
// an endpoint must be https:// and public: the portal posts from inside its own network, so an
// address on that network (the database, a metadata service, the portal itself) would let any
// Supplier user make it send requests there (server-side request forgery). Checked when the endpoint
// is registered (the address as written) and again before every delivery (every address its host
// name resolves to). Outside production both are allowed, for a receiver on this machine.

export type UrlPolicy = {
  /** http:// as well as https:// (WEBHOOK_ALLOW_HTTP). */
  allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses (WEBHOOK_ALLOW_PRIVATE_ADDRESSES). */
  allowPrivateAddresses: boolean;
};

export const MAX_URL_LENGTH = 2000;

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo among them)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** An IPv6 address as eight numbers (it may end in dotted IPv4). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const first = head ? head.split(":") : [];
  const last = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill("0"), ...last];
  return groups.map((g) => parseInt(g, 16));
}

/** True for an address on the public internet; false for loopback, private, link-local, reserved ones. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 4) return !NOT_PUBLIC.check(bare, "ipv4");
  if (family !== 6) return false;
  // IPv4-mapped (::ffff:a.b.c.d) is matched against the IPv4 list by BlockList itself; NAT64
  // (64:ff9b::/96) carries an IPv4 address the gateway will connect to: judge that one.
  const groups = ipv6Groups(bare);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    return isPublicAddress(`${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`);
  }
  return !NOT_PUBLIC.check(bare, "ipv6");
}

/**
 * The Fetch Standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking), which fetch never
 * connects to: an endpoint on one could never be delivered to.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123,
  135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Names that never mean a host on the internet: this machine, the local network, single labels. */
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return !name.includes(".") || /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa)$/.test(name);
}

const NOT_PUBLIC_MESSAGE =
  "The address must be reachable over the internet: loopback, private, link-local and local network addresses are refused";

/**
 * The endpoint's address, normalised, or what is wrong with it in words a person can act on. `raw`
 * is what was typed.
 */
export function checkEndpointUrl(raw: string, policy: UrlPolicy): { url: string } | { problem: string } {
  const text = raw.trim();
  if (text === "") return { problem: "Enter the address the portal should post events to, starting with https://" };
  if (text.length > MAX_URL_LENGTH) return { problem: `The address can be at most ${MAX_URL_LENGTH.toLocaleString("en-GB")} characters` };
  if (/[\s\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\uFEFF]/.test(text)) {
    return { problem: "Remove the spaces and invisible characters from the address" };
  }
  if (!URL.canParse(text)) return { problem: "Enter a whole address, like https://hooks.example.com/install-codes" };
  const url = new URL(text);
  const https = url.protocol === "https:";
  if (!https && !(url.protocol === "http:" && policy.allowHttp)) {
    return { problem: "The address must start with https://: events are sent over HTTPS only" };
  }
  if (url.username || url.password) {
    return { problem: "Remove the user name and password from the address: every delivery is signed with the endpoint's secret instead" };
  }
  if (url.hash || text.includes("#")) return { problem: "Remove the part from # on: it is never sent to the server" };
  if (!url.hostname) return { problem: "Enter a whole address, like https://hooks.example.com/install-codes" };
  if (url.port && BAD_PORTS.has(Number(url.port))) {
    return { problem: `Events cannot be posted to port ${url.port}, which web clients never connect to: use another, such as 443` };
  }
  if (!policy.allowPrivateAddresses) {
    const literal = isIP(url.hostname.replace(/^\[|\]$/g, "")) !== 0;
    if (literal ? !isPublicAddress(url.hostname) : isLocalName(url.hostname)) return { problem: NOT_PUBLIC_MESSAGE };
  }
  if (url.href.length > MAX_URL_LENGTH) return { problem: `The address can be at most ${MAX_URL_LENGTH.toLocaleString("en-GB")} characters` };
  return { url: url.href };
}

export type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Before each delivery: the address still passes the policy and, unless private addresses are
 * allowed, every address its host name resolves to is public. Null when it may be posted to.
 * (fetch resolves the name again: a name whose records change between the two look-ups could still
 * reach a private address. docs/decisions/020-webhooks.md says what would close that.)
 */
export async function deliveryRefusal(url: string, policy: UrlPolicy, resolve: Resolve = resolveAll): Promise<string | null> {
  const checked = checkEndpointUrl(url, policy);
  if ("problem" in checked) return `Not sent: ${checked.problem}`;
  if (policy.allowPrivateAddresses) return null;
  const hostname = new URL(checked.url).hostname;
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) return null; // a literal: checked above
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    return `Not sent: the host name ${hostname} could not be resolved (${(error as NodeJS.ErrnoException).code ?? "lookup failed"})`;
  }
  const refused = addresses.find((a) => !isPublicAddress(a));
  if (addresses.length === 0 || refused) {
    return `Not sent: ${hostname} resolves to ${refused ?? "no address"}, which is not a public address`;
  }
  return null;
}
