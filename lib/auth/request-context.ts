import { AsyncLocalStorage } from "node:async_hooks";

// What next-auth's callbacks and events cannot be told directly: the client's address of the
// request being handled (for the audit log). Set by the auth route around next-auth's handler.

type RequestContext = { clientAddress: string | null };

const storage = new AsyncLocalStorage<RequestContext>();

export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function contextClientAddress(): string | null {
  return storage.getStore()?.clientAddress ?? null;
}
