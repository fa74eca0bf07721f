import { isHttps } from "./app-url";

// DNS rebinding defence: a page on evil.example whose name is re-pointed at this machine makes the
// browser send `Host: evil.example`. Only the portal's own host name (and, for a loopback APP_URL,
// the other loopback names on the same port) is answered.

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];
const HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;

const defaultPort = (appUrl: string) => (isHttps(appUrl) ? 443 : 80);

/** The `name:port` pairs the portal answers to, from APP_URL; none if APP_URL is not a URL. */
export function allowedHosts(appUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    return [];
  }
  const port = Number(url.port || defaultPort(appUrl));
  const names = LOOPBACK.includes(url.hostname) ? LOOPBACK : [url.hostname];
  return names.map((name) => `${name}:${port}`);
}

/** Whether a request's Host header names the portal. A missing or malformed Host never does. */
export function hostAllowed(host: string | null | undefined, appUrl: string): boolean {
  const match = host ? HOST.exec(host) : null;
  if (!match) return false;
  const candidate = `${match[1].toLowerCase()}:${Number(match[2] ?? defaultPort(appUrl))}`;
  return allowedHosts(appUrl).includes(candidate);
}
