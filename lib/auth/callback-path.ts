// Where to send someone after signing in: only a path on this site. Anything else (an absolute URL,
// a protocol-relative "//host", a backslash or a control character that a browser would strip into
// one, or the sign-in page itself, which would loop) becomes "/".

const BASE = "http://portal.invalid";

export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/")) return "/";
  if (/[\u0000-\u001F\u007F\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  if (url.pathname === "/sign-in" || url.pathname.startsWith("/sign-in/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
