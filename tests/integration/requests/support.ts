import { expect } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { DeviceStatus, DeviceType, Email, RequestEventType } from "@/lib/db/generated/client";
import { seedDemoData } from "@/lib/db/seed";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { listRequests, type RequestSummary } from "@/lib/requests/list-requests";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { parseReference } from "@/lib/requests/reference";
import { actorFor, demoActors } from "../../helpers/actors";
import { closeTestDatabase, openTestDatabase } from "../../helpers/database";

// Shared set-up for the request lifecycle suites: each file opens one database, seeds it, and makes
// its own Devices so that every test starts from a request nobody else has touched.

export const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A seeded database, the four demo people, a colleague of Alice's (amir, NWE) and of Bob's (bea,
 * SFP) to show that emails go to every user of an organisation, and the organisations' ids by code.
 */
export async function openSeededDatabase() {
  await openTestDatabase();
  await seedDemoData(db());
  const people = await demoActors();
  const amir = await addUser("amir@northwind.example", "Amir Shah", "NWE");
  const bea = await addUser("bea@southfield.example", "Bea Morgan", "SFP");
  const orgs: Record<string, string> = Object.fromEntries((await db().organisation.findMany()).map((o) => [o.code, o.id]));
  return { ...people, amir, bea, orgs };
}

export async function closeSeededDatabase() {
  await dispatcherIdle();
  await closeTestDatabase();
}

let devices = 0;

/** A new eligible (by default) Device pre-notified by `organisationCode`, outside the demo ranges. */
export async function addDevice(
  organisationCode: string,
  options: { deviceType?: DeviceType; status?: DeviceStatus | null } = {},
): Promise<string> {
  devices++;
  const deviceId = `0A${devices.toString(16).toUpperCase().padStart(14, "0")}`.match(/../g)!.join("-");
  const organisation = await db().organisation.findUniqueOrThrow({ where: { code: organisationCode }, select: { id: true } });
  const status = options.status === undefined ? "InstalledNotCommissioned" : options.status;
  await db().device.create({
    data: {
      deviceId,
      deviceType: options.deviceType ?? "ESME",
      status,
      statusChangedAt: status ? new Date("2026-10-01T09:00:00Z") : null,
      manufacturer: "Test Meters Ltd",
      model: "TM-2",
      firmwareVersion: "1.0.0",
      preNotifiedById: organisation.id,
    },
  });
  return deviceId;
}

/** Another user of a seeded organisation, as an Actor. */
export async function addUser(email: string, name: string, organisationCode: string): Promise<Actor> {
  const organisation = await db().organisation.findUniqueOrThrow({ where: { code: organisationCode } });
  await db().user.create({
    data: {
      email,
      name,
      role: organisation.kind === "HELPDESK" ? "HELPDESK" : "SUPPLIER_USER",
      organisationId: organisation.id,
      organisationKind: organisation.kind,
    },
  });
  return actorFor(email);
}

/** A new request raised by `raiser` for a fresh Device pre-notified by `assigneeCode`. */
export async function raiseFresh(raiser: Actor, assigneeCode: string, options: { now?: Date; note?: string } = {}) {
  const deviceId = await addDevice(assigneeCode);
  const result = await raiseRequest(raiser, { deviceId, note: options.note }, { now: options.now });
  if (!result.created) throw new Error(`expected a new request for ${deviceId}`);
  return { reference: result.reference, deviceId };
}

/** A fresh request that `provider` has answered with `installCode`. */
export async function raiseAndProvide(raiser: Actor, provider: Actor, installCode: string) {
  const raised = await raiseFresh(raiser, provider.organisationCode);
  await provideInstallCode(provider, { reference: raised.reference, installCode });
  return raised;
}

export async function requestRow(reference: string) {
  const number = parseReference(reference);
  if (number === null) throw new Error(`not a reference: ${reference}`);
  return db().installCodeRequest.findUniqueOrThrow({ where: { number } });
}

/** The request's events in the order they were written, without the dispatcher's EMAIL_SENT rows. */
export async function eventsOf(reference: string) {
  const request = await requestRow(reference);
  return db().requestEvent.findMany({
    where: { requestId: request.id, type: { not: "EMAIL_SENT" } },
    orderBy: { sequence: "asc" },
  });
}

export async function eventTypes(reference: string): Promise<RequestEventType[]> {
  return (await eventsOf(reference)).map((e) => e.type);
}

/** Row counts of everything a use case can write (after any background email delivery settles). */
export async function counts() {
  await dispatcherIdle();
  const client = db();
  return {
    requests: await client.installCodeRequest.count(),
    events: await client.requestEvent.count({ where: { type: { not: "EMAIL_SENT" } } }),
    notes: await client.note.count(),
    emails: await client.email.count(),
  };
}

/** Runs `work` and returns the Email rows it queued, ordered by recipient. */
export async function emailsQueuedBy<T>(work: () => Promise<T>): Promise<{ result: T; emails: Email[] }> {
  const before = new Set((await db().email.findMany({ select: { id: true } })).map((e) => e.id));
  const result = await work();
  const all = await db().email.findMany({ orderBy: [{ to: "asc" }, { createdAt: "asc" }] });
  return { result, emails: all.filter((e) => !before.has(e.id)) };
}

export function recipients(emails: Email[]): string[] {
  return emails.map((e) => e.to).sort();
}

/** The AppError `work` fails with; fails the test if it succeeds or throws anything else. */
export async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, but the call succeeded");
}

/** Asserts the code (and message, if given) of the AppError `work` fails with, and returns it. */
export async function expectRefused(work: Promise<unknown>, code: AppErrorCode, message?: string): Promise<AppError> {
  const error = await refusal(work);
  expect(error.code, `${error.message} ${JSON.stringify(error.fieldErrors)}`).toBe(code);
  if (message !== undefined) expect(error.message).toBe(message);
  return error;
}

/** Every request of the actor's list (with these filters), following the "older" links page by page. */
export async function listAll(actor: Actor, input: Record<string, unknown> = {}, options: { now?: Date; pageSize?: number } = {}): Promise<RequestSummary[]> {
  const all: RequestSummary[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listRequests(actor, { ...input, after }, options);
    all.push(...page.requests);
    if (!page.older) return all;
    after = page.older;
  }
}
