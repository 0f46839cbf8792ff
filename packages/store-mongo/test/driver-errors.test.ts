import { isSessionError, SessionError } from "@tessera/core";
import * as driver7 from "mongodb";
import * as driver6 from "mongodb-v6";
import { describe, expect, it } from "vitest";
import { classifyDriverError, isDuplicateKeyError, toStoreError } from "../src/driver-errors.js";

// The driver's own error classes, from both supported majors: the mapping goes by name and code,
// so it must agree for both.
for (const [label, mongo] of [
  ["driver 7", driver7],
  ["driver 6", driver6],
] as const) {
  describe(`driver error mapping (${label})`, () => {
    const serverError = (code: number, codeName: string) => new mongo.MongoServerError({ code, codeName, errmsg: `${codeName} happened` });

    it("timeouts become STORE_TIMEOUT", () => {
      expect(classifyDriverError(new mongo.MongoNetworkTimeoutError("connection 3 to 10.0.0.1:27017 timed out"))).toBe("STORE_TIMEOUT");
      expect(classifyDriverError(serverError(50, "MaxTimeMSExpired"))).toBe("STORE_TIMEOUT");
      expect(classifyDriverError(serverError(262, "ExceededTimeLimit"))).toBe("STORE_TIMEOUT");
      expect(classifyDriverError(serverError(64, "WriteConcernFailed"))).toBe("STORE_TIMEOUT");
      // The driver's client-side operation timeout error only exists in later 6.x releases.
      if ("MongoOperationTimeoutError" in mongo) {
        expect(classifyDriverError(new mongo.MongoOperationTimeoutError("Timed out during operation"))).toBe("STORE_TIMEOUT");
      }
    });

    it("unreachable servers, closed clients and command errors become STORE_UNAVAILABLE", () => {
      expect(classifyDriverError(new mongo.MongoNetworkError("connection refused"))).toBe("STORE_UNAVAILABLE");
      expect(classifyDriverError(new mongo.MongoNotConnectedError("not connected"))).toBe("STORE_UNAVAILABLE");
      expect(classifyDriverError(new mongo.MongoTopologyClosedError())).toBe("STORE_UNAVAILABLE");
      expect(classifyDriverError(serverError(13, "Unauthorized"))).toBe("STORE_UNAVAILABLE");
      expect(classifyDriverError(new Error("anything else"))).toBe("STORE_UNAVAILABLE");
      expect(classifyDriverError("a string")).toBe("STORE_UNAVAILABLE");
    });

    it("recognises a duplicate _id only by its code", () => {
      expect(isDuplicateKeyError(serverError(11000, "DuplicateKey"))).toBe(true);
      expect(isDuplicateKeyError(serverError(13, "Unauthorized"))).toBe(false);
      expect(isDuplicateKeyError(new Error("E11000 duplicate key"))).toBe(false);
    });

    it("wraps with the operation, the driver's message and class, and the cause", () => {
      const cause = serverError(50, "MaxTimeMSExpired");
      const error = toStoreError("get", cause);
      expect(isSessionError(error)).toBe(true);
      expect(error.code).toBe("STORE_TIMEOUT");
      expect(error.message).toBe("[tessera] [mongodb] get timed out (MongoServerError): MaxTimeMSExpired happened");
      expect(error.cause).toBe(cause);
      const refused = toStoreError("patch", new mongo.MongoNetworkError("connect ECONNREFUSED 127.0.0.1:27017"));
      expect(refused.message).toBe("[tessera] [mongodb] patch failed (MongoNetworkError): connect ECONNREFUSED 127.0.0.1:27017");
    });
  });
}

describe("toStoreError", () => {
  it("passes a SessionError through unchanged", () => {
    const original = new SessionError("INVALID_CONFIG", "[tessera] [mongodb] bad index");
    expect(toStoreError("create", original)).toBe(original);
  });
});
