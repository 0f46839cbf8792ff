import { describe, expect, it } from "vitest";
import { isSessionError, SessionError } from "../src/index.js";
import { configError, formatMessage } from "../src/internal.js";

// Stores and adapters in other packages build their messages with these two helpers.
describe("error helpers exported for stores and adapters", () => {
  it("formatMessage prefixes the library and the source", () => {
    expect(formatMessage("mongodb", "get failed.")).toBe("[tessera] [mongodb] get failed.");
    expect(formatMessage(undefined, "bad secret.")).toBe("[tessera] bad secret.");
  });

  it("configError is an INVALID_CONFIG SessionError with the formatted message", () => {
    const error = configError("`prefix` must be a string.", "unstorage");
    expect(error).toBeInstanceOf(SessionError);
    expect(isSessionError(error)).toBe(true);
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.message).toBe("[tessera] [unstorage] `prefix` must be a string.");
  });
});
