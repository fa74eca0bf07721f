// The little of autocannon 9 that the bench uses (it ships no types).
declare module "autocannon" {
  type Options = { url: string; headers?: Record<string, string>; connections?: number; duration?: number; timeout?: number };
  type Result = { errors: number; timeouts: number; non2xx: number };
  type Instance = PromiseLike<Result> & {
    on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): Instance;
  };
  function autocannon(options: Options): Instance;
  export default autocannon;
}
