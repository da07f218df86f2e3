// A tiny kernel that exercises the loader itself (tests only): a result that
// differs between the SIMD and the scalar build, and a deliberate abort().

/** 2 in the SIMD build, 1 in the scalar build: tells a test which build is running. */
export function buildKind(): i32 {
  if (ASC_FEATURE_SIMD) {
    const v = i32x4.splat(1);
    return i32x4.extract_lane(i32x4.add(v, v), 0);
  }
  return 1;
}

/** Aborts (a throw in AssemblyScript is an abort carrying file and line) when `value` is negative, so tests can check WasmAbortError. */
export function checkNonNegative(value: i32): i32 {
  if (value < 0) throw new Error("selftest: negative input");
  return value;
}
