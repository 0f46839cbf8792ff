import { describe, expect, it } from "vitest";
import { statementKind, statementsPerRequest } from "../src/postgres-stats.js";

describe("SQL statement census", () => {
  it("classifies statements by their verb", () => {
    expect(statementKind("SELECT data::text FROM t WHERE id = $1")).toBe("read");
    expect(statementKind('select sess from "session" where sid = $1')).toBe("read");
    expect(statementKind("INSERT INTO t AS s (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET x = $2")).toBe("write");
    expect(statementKind("UPDATE t SET data = (data || $2::text::jsonb)")).toBe("write");
    expect(statementKind("DELETE FROM t WHERE id = $1 RETURNING (expires_at > $2)::text")).toBe("write");
    expect(statementKind("WITH d AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM d)")).toBe("write");
    expect(statementKind("CREATE TABLE IF NOT EXISTS t (id text)")).toBe("other");
    expect(statementKind("BEGIN")).toBe("other");
  });

  it("divides calls by the requests they served", () => {
    const calls = new Map([
      ["SELECT a", 100],
      ["UPDATE b", 50],
      ["CREATE TABLE c", 1],
    ]);
    expect(statementsPerRequest(calls, 100)).toEqual({
      reads: 1,
      writes: 0.5,
      byStatement: { "SELECT a": 1, "UPDATE b": 0.5, "CREATE TABLE c": 0.01 },
    });
    expect(statementsPerRequest(calls, 0)).toEqual({ reads: 0, writes: 0, byStatement: {} });
  });
});
