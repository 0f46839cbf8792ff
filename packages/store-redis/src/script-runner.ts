/**
 * Runs a Lua script by SHA (EVALSHA: only the 40-character hash travels), falling back to EVAL
 * when the node answering for the key does not have it cached (`NOSCRIPT` after a restart, a
 * failover or `SCRIPT FLUSH`). EVAL is routed by the same key, so on a Cluster the script is loaded
 * on exactly the node that needs it, and the next EVALSHA there succeeds.
 */
import type { RedisDriver } from "./driver.js";
import type { LuaScript } from "./lua-scripts.js";

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

/**
 * Builds the EVALSHA argument list `[sha, "1", key, ...]` for `script`; append the script's
 * ARGV to it and pass it to {@link runScript}.
 */
export function scriptArgs(script: LuaScript, key: string): string[] {
  return [script.sha, "1", key];
}

/** Runs `script` on `key` with the argument list from {@link scriptArgs} (mutated on fallback). */
export async function runScript(driver: RedisDriver, script: LuaScript, key: string, args: string[]): Promise<unknown> {
  try {
    return await driver.send(key, "EVALSHA", args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    args[0] = script.source;
    return driver.send(key, "EVAL", args);
  }
}
