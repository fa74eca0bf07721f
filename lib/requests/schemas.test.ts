import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { z } from "zod";
import { AppError, validate } from "../errors";
import {
  addNoteSchema,
  decodeListCursor,
  encodeListCursor,
  listRequestsSchema,
  NOTE_MAX,
  provideInstallCodeSchema,
  raiseRequestSchema,
  reassignRequestSchema,
  requestReferenceSchema,
} from "./schemas";

// Every input reaches these schemas from a form post or, later, the REST API: whatever arrives, the
// person sees field messages (a 400), never a 500 from an exception inside a refine or transform.

const SCHEMAS = {
  raiseRequestSchema,
  addNoteSchema,
  provideInstallCodeSchema,
  requestReferenceSchema,
  reassignRequestSchema,
  listRequestsSchema,
} satisfies Record<string, z.ZodObject>;

const PUBLIC_LABEL = "83FED3407A939723A5C639B26916D505C3B5";
const ODD_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "then"];

const interestingString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "line\r\nbreak",
  "00-DB-12-34-56-78-90-A0",
  PUBLIC_LABEL,
  `${PUBLIC_LABEL.slice(0, -1)}0`,
  "RIC0000042",
  "ASSIGNED",
  "closed",
  "\uD800",
  "🙂".repeat(600),
  "1 ".repeat(2500),
  "x".repeat(NOTE_MAX + 1),
);
const anyString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ minLength: NOTE_MAX - 10, maxLength: NOTE_MAX + 10 }),
  interestingString,
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: anyString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(),
  fc.array(anyString, { maxLength: 3 }),
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withBoxedValues: true }),
);

/** A plain object whose keys, "__proto__" included, are its own properties (as JSON.parse makes them). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

function anyInput(fields: string[]) {
  const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fields) }, fc.constantFrom(...ODD_KEYS), fc.string());
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.tuple(key, anyValue), { maxLength: 8 }).map(objectOf) },
    fc.anything({ key, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withBoxedValues: true }),
    anyValue,
  );
}

function outcomeOf(schema: z.ZodType, input: unknown): { ok: true } | { ok: false; error: unknown } {
  try {
    validate(schema, input);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe.each(Object.entries(SCHEMAS))("%s, through validate()", (_name, schema) => {
  const fields = Object.keys(schema.shape);

  it.prop([anyInput(fields)], { numRuns: 300 })(
    "for any input, accepts it or refuses it with a message for each field it names",
    (input) => {
      const outcome = outcomeOf(schema, input);
      if (outcome.ok) return;
      expect(outcome.error).toBeInstanceOf(AppError);
      const error = outcome.error as AppError;
      expect(error.code).toBe("VALIDATION");
      const entries = Object.entries(error.fieldErrors);
      expect(entries.length).toBeGreaterThan(0);
      for (const [field, messages] of entries) {
        // A form can show a message only against a field it has, or against the form as a whole.
        expect([...fields, "form"]).toContain(field);
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) expect(message.trim()).not.toBe("");
      }
    },
  );
});

describe("well-formed input is accepted, so the refusals above are not all there is", () => {
  const deviceId = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""));
  // Text without a single hexadecimal digit cannot look like an Install Code.
  const plainText = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 200 })
    .filter((s) => !/[0-9A-Fa-f\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s) && s.trim() !== "");
  const reference = fc.integer({ min: 1, max: 9_999_999 }).map((n) => `RIC${String(n).padStart(7, "0")}`);

  it.prop([deviceId, fc.option(plainText, { nil: undefined })])("a raise with any Device ID and a plain note", (id, note) => {
    const parsed = validate(raiseRequestSchema, { deviceId: id, note });
    expect(parsed.deviceId).toBe(id.toUpperCase().match(/../g)!.join("-"));
    expect(parsed.note).toBe(note?.replace(/\r\n?/g, "\n").trim() || undefined);
  });

  it.prop([reference, plainText])("a note on any request", (ref, body) => {
    expect(validate(addNoteSchema, { reference: ref, body })).toEqual({ reference: ref, body: body.replace(/\r\n?/g, "\n").trim() });
  });

  it.prop([reference, plainText.filter((s) => s.trim().length <= 500), fc.constantFrom("SFP", "EGE")])(
    "a reassignment with a reason",
    (ref, reason, organisationCode) => {
      expect(validate(reassignRequestSchema, { reference: ref, organisationCode, reason })).toEqual({
        reference: ref,
        organisationCode,
        reason: reason.trim(),
      });
    },
  );

  it.prop([reference])("a code as printed on the label", (ref) => {
    expect(validate(provideInstallCodeSchema, { reference: ref, installCode: PUBLIC_LABEL })).toEqual({
      reference: ref,
      installCode: PUBLIC_LABEL.slice(0, -4),
    });
  });

  it("an Install Code in a note is refused with the message that says where it belongs", () => {
    const outcome = outcomeOf(addNoteSchema, { reference: "RIC0000042", body: `Code: ${PUBLIC_LABEL}` });
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: AppError }).error;
    expect(error.fieldErrors.body?.[0]).toMatch(/Install Code field/);
  });
});

describe("list cursors", () => {
  it.prop([fc.constantFrom("raised" as const, "due" as const), fc.date({ min: new Date("2000-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }), fc.integer({ min: 1, max: 2_147_483_647 })])(
    "decode to what was encoded, sort key included",
    (key, at, number) => {
      expect(decodeListCursor(encodeListCursor({ key, at, number }))).toEqual({ key, at, number });
    },
  );

  it("reads a page link made before sorting existed as one of the date-raised order", () => {
    const old = Buffer.from("1780304400000.42", "utf8").toString("base64url");
    expect(decodeListCursor(old)).toEqual({ key: "raised", at: new Date(1780304400000), number: 42 });
  });

  it.each(["x1780304400000.42", "dd1780304400000.42", "d.42", "d1780304400000"])("refuses %j", (text) => {
    expect(decodeListCursor(Buffer.from(text, "utf8").toString("base64url"))).toBeNull();
  });
});
