import { serveNode, testAdapter } from "@tessera/adapter-test-suite";
import Koa3 from "koa";
import Koa2 from "koa2";
import { koaApp } from "./app.js";

testAdapter("koa 3", { start: (options) => serveNode(koaApp(Koa3, options)) });
testAdapter("koa 2", { start: (options) => serveNode(koaApp(Koa2, options)) });
