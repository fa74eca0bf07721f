// Where to send someone after signing in: only a path on this site (APP_URL's origin). Anything else
// (an absolute URL, a protocol-relative "//host", a backslash or a control character that a browser
// would strip or turn into "/", a dot segment that collapses into "//host", or any of these hidden
// behind percent-encoding) becomes "/". So does the sign-in page itself, which would loop.

// A proxy or framework in front of us may decode once more than a browser does; three rounds cover
// double encoding with one to spare, and anything encoded deeper than that is refused outright.
const DECODE_ROUNDS = 3;

// C0 and C1 controls, DEL, and the backslash that WHATWG URL parsing reads as "/" in http(s) URLs.
const HOSTILE = /[\u0000-\u001F\u007F-\u009F\\]/;

/** One round of percent-decoding that never throws: a malformed sequence stays as written. */
function decodeOnce(value: string): string {
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8: still reveal ASCII such as %2F or %5C, which a lenient decoder would produce.
      return run.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  });
}

function isSignInPage(pathname: string): boolean {
  const path = pathname.toLowerCase();
  return path === "/sign-in" || path.startsWith("/sign-in/");
}

/**
 * The URL `form` leads to on `origin`, or null if it could lead anywhere else. A path must start
 * with a single "/"; an absolute URL is read only if it is http(s) and its origin is ours.
 */
function resolveOnSite(form: string, origin: string): URL | null {
  if (form.startsWith("//") || HOSTILE.test(form)) return null;
  if (!form.startsWith("/") && !/^https?:\/\//i.test(form)) return null;
  let url: URL;
  try {
    url = new URL(form, origin);
  } catch {
    return null;
  }
  // "/a/..//host" is on-site as parsed, but its serialised path "//host" is not once re-read.
  if (url.origin !== origin || url.pathname.startsWith("//") || isSignInPage(url.pathname)) return null;
  return url;
}

/**
 * The path (with query and fragment) to send a signed-in user to, or "/". `appUrl` is the portal's
 * own URL (env().appUrl); only its origin counts.
 */
export function safeCallbackPath(value: string | null | undefined, appUrl: string): string {
  let origin: string;
  try {
    origin = new URL(appUrl).origin;
  } catch {
    return "/";
  }
  if (!value) return "/";
  const url = resolveOnSite(value, origin);
  if (!url) return "/";
  let form = value;
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    const decoded = decodeOnce(form);
    if (decoded === form) break;
    if (!resolveOnSite(decoded, origin)) return "/";
    form = decoded;
  }
  if (decodeOnce(form) !== form) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
