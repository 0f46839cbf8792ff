import { getRequestListener } from "@hono/node-server";
import { serveNode, testAdapter } from "@tessera/adapter-test-suite";
import { honoApp } from "./app.js";

testAdapter("hono app.request (no server)", {
  start: async (options) => {
    const app = honoApp(options);
    return { fetch: async (path, init) => app.request(path, init), close: async () => {} };
  },
});
testAdapter("hono on @hono/node-server", {
  start: (options) => serveNode(getRequestListener(honoApp(options).fetch)),
});
