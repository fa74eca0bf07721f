// The client's address as the portal can know it. `next start` puts the socket's address in
// X-Forwarded-For when the request has none; a reverse proxy appends the address it saw. So the
// entry `trustedProxyHops` from the right (the rightmost with no proxy or one) is the one no client
// can choose when the portal sits behind that many proxies. Without a proxy a client can send its
// own header: the address is then only as good as the network in front (docs/security.md).

export function clientAddressFrom(forwardedFor: string | null | undefined, trustedProxyHops: number): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const index = Math.max(entries.length - Math.max(trustedProxyHops, 1), 0);
  const address = entries[index]!.replace(/^::ffff:/, "");
  // Anything that is not an IPv4/IPv6 literal is not an address: keep the audit log clean.
  return /^[0-9a-fA-F:.]{2,45}$/.test(address) ? address : null;
}
