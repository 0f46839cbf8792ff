import { describe, expect, it } from "vitest";
import { parseWrkDuration, parseWrkOutput } from "../src/load/wrk.js";

// Captured from Debian's wrk 4.1.0 (`wrk -t1 -c10 -d1s --latency`), with error lines added as wrk prints them.
const OUTPUT = `Running 1s test @ http://127.0.0.1:3999/
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.20ms    8.86ms  79.71ms   92.22%
    Req/Sec     5.75k     3.51k   10.79k    63.64%
  Latency Distribution
     50%  235.00us
     75%    2.76ms
     90%    8.45ms
     99%   47.67ms
  6278 requests in 1.12s, 0.99MB read
  Socket errors: connect 1, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 17
Requests/sec:   5622.80
Transfer/sec:      0.89MB
`;

describe("wrk output", () => {
  it("reads requests, rate, p50/p99 in ms and error counts", () => {
    const result = parseWrkOutput(OUTPUT);
    expect(result).toMatchObject({ requests: 6278, reqPerSec: 5622.8, p99Ms: 47.67, errorResponses: 17, socketErrors: 6 });
    expect(result.p50Ms).toBeCloseTo(0.235, 6);
  });

  it("counts no errors when wrk prints no error lines", () => {
    const clean = OUTPUT.replace(/^\s*Socket errors.*\n/m, "").replace(/^\s*Non-2xx.*\n/m, "");
    const result = parseWrkOutput(clean);
    expect(result.errorResponses).toBe(0);
    expect(result.socketErrors).toBe(0);
  });

  it("converts every unit wrk uses", () => {
    expect(parseWrkDuration("512.00us")).toBeCloseTo(0.512);
    expect(parseWrkDuration("1.02ms")).toBeCloseTo(1.02);
    expect(parseWrkDuration("1.50s")).toBe(1500);
    expect(parseWrkDuration("2.00m")).toBe(120_000);
    expect(() => parseWrkDuration("12 parsecs")).toThrow(/cannot parse/);
  });

  it("refuses output without the latency distribution (wrk run without --latency)", () => {
    expect(() => parseWrkOutput(OUTPUT.replace(/Latency Distribution[\s\S]*?99%.*\n/, ""))).toThrow(/no 50% latency line/);
  });
});
