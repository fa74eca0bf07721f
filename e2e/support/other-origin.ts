import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A web page on another origin (127.0.0.1 on a free port): the attacker's site. Being on 127.0.0.1
 * it is same-site with the portal under test (ports do not count for SameSite), so the browser
 * sends the portal's cookies along, and only the portal's own defences stand in the way.
 */
export class OtherOrigin {
  private server: Server;
  private html = "<!doctype html><title>empty</title>";

  constructor() {
    this.server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(this.html);
    });
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Serves `html` at every path from now on. */
  serve(html: string): void {
    this.html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another site</title></head><body>${html}</body></html>`;
  }
}

export function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}
