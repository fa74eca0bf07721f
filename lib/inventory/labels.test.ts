import { describe, expect, it } from "vitest";
import { DEVICE_STATUSES, DEVICE_TYPES } from "./device-kinds";
import { deviceStatusInSentence, deviceStatusLabel, deviceTypeInSentence, deviceTypeLabel } from "./labels";

// What a person reads for the SMI's DeviceStatus and DeviceType values (issue 13, part 5).

describe("deviceStatusLabel", () => {
  it.each([
    ["Pending", "Pending"],
    ["Whitelisted", "Whitelisted"],
    ["InstalledNotCommissioned", "Installed, not commissioned"],
    ["Commissioned", "Commissioned"],
    ["Decommissioned", "Decommissioned"],
    ["Withdrawn", "Withdrawn"],
    ["Suspended", "Suspended"],
    ["Recovery", "In recovery"],
    ["Recovered", "Recovered"],
  ])("%s reads %s", (status, words) => {
    expect(deviceStatusLabel(status)).toBe(words);
  });

  it("has words for every status the schema declares, none of them the bare enum value when it is not a word", () => {
    for (const status of DEVICE_STATUSES) expect(deviceStatusLabel(status)).toMatch(/^[A-Z][a-z]+(,? [a-z]+)*$/);
  });

  it("says a Device without a status is a Type 2 Device", () => {
    expect(deviceStatusLabel(null)).toBe("None (Type 2 Device)");
  });

  it("shows a value it does not know as it is, and finds nothing on Object's prototype", () => {
    expect(deviceStatusLabel("Quarantined")).toBe("Quarantined");
    expect(deviceStatusLabel("__proto__")).toBe("__proto__");
    expect(deviceStatusLabel("constructor")).toBe("constructor");
  });

  it("reads inside a sentence in lower case", () => {
    expect(deviceStatusInSentence("InstalledNotCommissioned")).toBe("installed, not commissioned");
    expect(deviceStatusInSentence("Recovery")).toBe("in recovery");
    expect(deviceStatusInSentence(null)).toBe("without a status");
    expect(deviceStatusInSentence("Quarantined")).toBe("Quarantined");
  });
});

describe("deviceTypeLabel", () => {
  it.each([
    ["ESME", "Electricity meter (ESME)", "an electricity meter (ESME)"],
    ["GSME", "Gas meter (GSME)", "a gas meter (GSME)"],
    ["GPF", "Gas proxy function (GPF)", "a gas proxy function (GPF)"],
    ["CHF", "Comms hub function (CHF)", "a comms hub function (CHF)"],
    ["HCALCS", "Auxiliary load control switch (HCALCS)", "an auxiliary load control switch (HCALCS)"],
    ["PPMID", "Prepayment meter interface device (PPMID)", "a prepayment meter interface device (PPMID)"],
    ["IHD", "In-home display (IHD)", "an in-home display (IHD)"],
    ["CAD", "Consumer access device (CAD)", "a consumer access device (CAD)"],
  ])("%s reads %s, and in a sentence %s", (type, words, inSentence) => {
    expect(deviceTypeLabel(type)).toBe(words);
    expect(deviceTypeInSentence(type)).toBe(inSentence);
  });

  it("has words for every type the schema declares", () => {
    for (const type of DEVICE_TYPES) expect(deviceTypeLabel(type)).not.toBe(type);
  });

  it("shows a value it does not know as it is", () => {
    expect(deviceTypeLabel("XYZ")).toBe("XYZ");
    expect(deviceTypeLabel("toString")).toBe("toString");
    expect(deviceTypeInSentence("XYZ")).toBe("a XYZ");
  });
});
