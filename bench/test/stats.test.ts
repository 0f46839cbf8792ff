import { describe, expect, it } from "vitest";
import { median, round } from "../src/stats.js";

describe("median", () => {
  it("takes the middle value of an odd count, unsorted input", () => {
    expect(median([5, 1, 9, 3, 7])).toBe(5);
  });
  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("is NaN for no values", () => {
    expect(median([])).toBeNaN();
  });
  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("round", () => {
  it("rounds to the given decimals and keeps null", () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(null, 2)).toBeNull();
  });
});
