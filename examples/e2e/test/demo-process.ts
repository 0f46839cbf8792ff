/** Starts `scripts/demo.mjs --port 0` (the demo `pnpm demo` runs) and reads the URLs it prints. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface RunningDemo {
  urls: Record<"Express" | "Koa" | "Hono", string>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL("../../../scripts/demo.mjs", import.meta.url));

export async function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const child: ChildProcess = spawn(process.execPath, [script, "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const urls = await new Promise<RunningDemo["urls"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URLs within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = Object.fromEntries([...output.matchAll(/^\s+(Express|Koa|Hono)\s+(http:\/\/\S+)$/gm)].map((m) => [m[1], m[2]]));
      if (Object.keys(found).length === 3) {
        clearTimeout(timer);
        resolve(found as RunningDemo["urls"]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before printing its URLs:\n${output}`));
    });
  });
  return {
    urls,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
