import { describe, expect, it } from "vitest";
import { checkEndpointUrl, deliveryRefusal, isPublicAddress } from "./url";

const PRODUCTION = { allowHttp: false, allowPrivateAddresses: false };
const DEVELOPMENT = { allowHttp: true, allowPrivateAddresses: true };

const problem = (raw: string, policy = PRODUCTION) => {
  const checked = checkEndpointUrl(raw, policy);
  return "problem" in checked ? checked.problem : null;
};

describe("an endpoint's address", () => {
  it("takes a public https:// address, normalised", () => {
    expect(checkEndpointUrl("  https://Hooks.Example.com/install-codes?x=1 ", PRODUCTION)).toEqual({ url: "https://hooks.example.com/install-codes?x=1" });
    expect(checkEndpointUrl("https://203.0.114.7:8443/hook", PRODUCTION)).toEqual({ url: "https://203.0.114.7:8443/hook" });
  });

  it("refuses http:// in production, and takes it where allowed", () => {
    expect(problem("http://hooks.example.com/")).toBe("The address must start with https://: events are sent over HTTPS only");
    expect(problem("http://hooks.example.com/", DEVELOPMENT)).toBeNull();
    expect(problem("ftp://hooks.example.com/", DEVELOPMENT)).toBe("The address must start with https://: events are sent over HTTPS only");
    expect(problem("javascript:alert(1)", DEVELOPMENT)).toBe("The address must start with https://: events are sent over HTTPS only");
  });

  it("refuses a user name or password, a fragment, spaces, and anything too long or not an address", () => {
    expect(problem("https://user:pass@hooks.example.com/")).toMatch(/^Remove the user name and password/);
    expect(problem("https://user@hooks.example.com/")).toMatch(/^Remove the user name and password/);
    expect(problem("https://hooks.example.com/#x")).toBe("Remove the part from # on: it is never sent to the server");
    expect(problem("https://hooks.example.com/a b")).toBe("Remove the spaces and invisible characters from the address");
    expect(problem("https://hooks.example.com/\u0000")).toBe("Remove the spaces and invisible characters from the address");
    expect(problem(`https://hooks.example.com/${"a".repeat(2000)}`)).toBe("The address can be at most 2,000 characters");
    expect(problem("hooks.example.com/install-codes")).toBe("Enter a whole address, like https://hooks.example.com/install-codes");
    expect(problem("  ")).toBe("Enter the address the portal should post events to, starting with https://");
    expect(problem("https://hooks.example.com:25/")).toBe("Events cannot be posted to port 25, which web clients never connect to: use another, such as 443");
    expect(problem("https://hooks.example.com:8443/")).toBeNull();
  });

  it.each([
    "https://127.0.0.1/",
    "https://2130706433/", // 127.0.0.1, as a number
    "https://0x7f.1/",
    "https://10.1.2.3/",
    "https://172.16.0.1/",
    "https://192.168.1.10/",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/",
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://[64:ff9b::a00:1]/", // NAT64 of 10.0.0.1
    "https://localhost/",
    "https://portal.localhost/",
    "https://printer.local/",
    "https://db.internal/",
    "https://intranet/",
  ])("refuses %s in production, and takes it where private addresses are allowed", (url) => {
    expect(problem(url)).toBe(
      "The address must be reachable over the internet: loopback, private, link-local and local network addresses are refused",
    );
    expect(problem(url, DEVELOPMENT)).toBeNull();
  });

  it("tells public addresses from the others", () => {
    for (const address of ["8.8.8.8", "203.0.114.7", "2a00:1450:4009:81f::200e", "64:ff9b::808:808"]) expect(isPublicAddress(address), address).toBe(true);
    for (const address of ["127.0.0.2", "10.0.0.1", "::1", "fd12::1", "::ffff:10.0.0.1", "224.0.0.1", "255.255.255.255", "not an address"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe("before each delivery", () => {
  it("refuses a host name that resolves to a private address in production, and posts to one that resolves publicly", async () => {
    const resolveTo = (addresses: string[]) => async () => addresses;
    expect(await deliveryRefusal("https://hooks.example.com/", PRODUCTION, resolveTo(["93.184.215.14"]))).toBeNull();
    expect(await deliveryRefusal("https://hooks.example.com/", PRODUCTION, resolveTo(["93.184.215.14", "10.0.0.7"]))).toBe(
      "Not sent: hooks.example.com resolves to 10.0.0.7, which is not a public address",
    );
    expect(await deliveryRefusal("https://hooks.example.com/", DEVELOPMENT, resolveTo(["10.0.0.7"]))).toBeNull();
    const failing = async () => {
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    };
    expect(await deliveryRefusal("https://nowhere.example/", PRODUCTION, failing)).toBe("Not sent: the host name nowhere.example could not be resolved (ENOTFOUND)");
  });

  it("applies the policy of the day to an address registered under another", async () => {
    expect(await deliveryRefusal("http://127.0.0.1:8080/", PRODUCTION)).toBe("Not sent: The address must start with https://: events are sent over HTTPS only");
  });
});
