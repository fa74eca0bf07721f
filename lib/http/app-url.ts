// The address users reach the portal at. One rule, read by lib/env.ts at start-up and by proxy.ts on
// every request (which must not load lib/env.ts: it reads files and generates secrets).

/** APP_URL without its trailing slash, or http://localhost:PORT (PORT defaulting to 3000). */
export function appUrlFrom(appUrl: string | undefined, port: string | number | undefined): string {
  return (appUrl || `http://localhost:${port || 3000}`).replace(/\/+$/, "");
}

export function isHttps(appUrl: string): boolean {
  return appUrl.toLowerCase().startsWith("https://");
}
