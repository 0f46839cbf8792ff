/** Starts the Hono demo on @hono/node-server: `node dist/server.js` (PORT, SESSION_SECRET, REDIS_URL from the environment). */
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createDemoStore, DEMO_SECRET } from "@tessera/example-shared";
import { createApp } from "./app.js";

export async function start(options: { port?: number; host?: string } = {}) {
  const demo = await createDemoStore();
  const app = createApp({ secrets: [process.env.SESSION_SECRET ?? DEMO_SECRET], store: demo.store });
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 3003, hostname: host }, () => resolve(started));
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    store: demo.description,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await demo.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { url, store } = await start({ port: Number(process.env.PORT ?? 3003) });
  process.stdout.write(`Hono demo on ${url} (store: ${store})\n`);
}
