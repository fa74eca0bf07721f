import { isHttps } from "./app-url";

// Security headers of every response. The ones that never change go into next.config.ts; the
// Content-Security-Policy carries a fresh nonce per request, and HSTS depends on APP_URL at run time
// (next.config.ts headers are fixed at build time), so proxy.ts sets those two.

/** Powerful browser features the portal never uses, switched off for it and any frame it embeds. */
export const PERMISSIONS_POLICY = [
  "accelerometer",
  "autoplay",
  "browsing-topics",
  "camera",
  "display-capture",
  "encrypted-media",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

const STATIC_SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** For next.config.ts `headers()`: when two entries set one header, the later one wins. */
export function staticSecurityHeaderRoutes() {
  return [
    { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
    // The sign-in confirmation page carries a one-time token in its address: never send it on.
    { source: "/sign-in/confirm", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
  ];
}

/** 128 random bits, base64: a fresh one for every request. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export type PolicyOptions = { nonce: string; appUrl: string; development: boolean };

export function contentSecurityPolicy({ nonce, appUrl, development }: PolicyOptions): string {
  return [
    "default-src 'self'",
    // Next.js puts the nonce on its own scripts when the page renders per request; 'strict-dynamic'
    // lets those load their chunks. `next dev` evaluates code for fast refresh and stack traces.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Inline styles: the development mailbox shows an email's HTML (style attributes) in a sandboxed
    // srcdoc frame, which inherits this policy. Styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps(appUrl) ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The per-request headers proxy.ts sets on every response. */
export function perRequestSecurityHeaders(options: PolicyOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    ...(isHttps(options.appUrl) ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
