/** Starts the Koa demo: `node dist/server.js` (PORT, SESSION_SECRET, REDIS_URL from the environment). */
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createDemoStore, DEMO_SECRET } from "@tessera/example-shared";
import { createApp } from "./app.js";

export async function start(options: { port?: number; host?: string } = {}) {
  const demo = await createDemoStore();
  const app = createApp({ secrets: [process.env.SESSION_SECRET ?? DEMO_SECRET], store: demo.store });
  const host = options.host ?? "127.0.0.1";
  const server = app.listen(options.port ?? 3002, host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
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
  const { url, store } = await start({ port: Number(process.env.PORT ?? 3002) });
  process.stdout.write(`Koa demo on ${url} (store: ${store})\n`);
}
