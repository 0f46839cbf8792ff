import { serveNode, testAdapter } from "@tessera/adapter-test-suite";
import express5 from "express";
import express4 from "express4";
import { connectApp, errorHandler, expressApp } from "./apps.js";

testAdapter("express 5", {
  start: (options) => serveNode(expressApp(express5, options).use(errorHandler)),
});
testAdapter("express 4", {
  start: (options) => serveNode(expressApp(express4, options).use(errorHandler)),
});
testAdapter("connect-style on node:http", {
  start: (options) => serveNode(connectApp(options)),
});
