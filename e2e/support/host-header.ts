import { request } from "node:http";

/**
 * A GET to the portal's own address and port, naming `host` in the Host header: what a browser
 * sends once a DNS-rebinding attacker has re-pointed their host name at the portal's address.
 */
export function getWithHost(baseURL: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers: { Host: host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
