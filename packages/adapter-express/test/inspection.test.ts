/** `req.session` of Express 5 shows the session only (see testInspection in @tessera/adapter-test-suite). */
import { COOKIE_NAME, type InspectionAppOptions, serveNode, testInspection } from "@tessera/adapter-test-suite";
import express from "express";
import { session } from "../src/index.js";

function inspectionApp(options: InspectionAppOptions) {
  const app = express();
  app.use(session({ secret: options.secrets, name: COOKIE_NAME, store: options.store }));
  const snapshot = (req: express.Request) => ({ id: req.session.id, isNew: req.session.isNew, data: req.session.toJSON() });
  const data = (req: express.Request) => req.session as unknown as Record<string, unknown>;
  app.post("/set", (req, res) => {
    for (const [key, value] of Object.entries(JSON.parse(String(req.query.data)) as object)) data(req)[key] = value;
    res.json(snapshot(req));
  });
  app.get("/inspect", (req, res) => {
    void data(req).cart;
    data(req).visits = 2;
    req.session.owner = "ann";
    options.reveal(req.session);
    res.json(snapshot(req));
  });
  return app;
}

testInspection("express 5 (req.session)", { start: async (options) => serveNode(inspectionApp(options)) });
