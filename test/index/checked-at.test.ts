import { describe, expect, it } from "vitest";
import { at, f64At, i32At, u32At } from "../../src/index/checked-at.js";

describe("checked element reads", () => {
  it("return the element inside the array, zero included", () => {
    expect(u32At(Uint32Array.of(0, 7), 1)).toBe(7);
    expect(u32At(Uint32Array.of(0, 7), 0)).toBe(0);
    expect(i32At(Int32Array.of(-1), 0)).toBe(-1);
    expect(f64At(Float64Array.of(0.5), 0)).toBe(0.5);
    expect(at(["a", "b"], 1)).toBe("b");
  });

  it("throw a RangeError naming the index outside the array, where `?? 0` would read a silent zero", () => {
    expect(() => u32At(new Uint32Array(3), 3)).toThrow(new RangeError("index 3 is outside 0..2"));
    expect(() => u32At(new Uint32Array(3), -1)).toThrow(RangeError);
    expect(() => i32At(new Int32Array(0), 0)).toThrow(/index 0 is outside/);
    expect(() => f64At(new Float64Array(2), 2.5)).toThrow(RangeError);
    expect(() => at([], 0)).toThrow(RangeError);
  });
});
