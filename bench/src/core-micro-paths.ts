/** The paths of the core micro-benchmark, in the order they run and are reported. */
export const CORE_MICRO_PATHS = ["read", "write", "new", "read-crowded", "csrf-post", "login-token-redeem"] as const;
export type CoreMicroPath = (typeof CORE_MICRO_PATHS)[number];
