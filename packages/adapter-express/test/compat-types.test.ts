/**
 * The package's types alone and next to @types/express-session (which an app migrating from
 * express-session still has, and which connect-redis's, connect-pg-simple's and other stores' types
 * load), checked with the TypeScript compiler on small fixtures:
 * - alone, `req.session` is Tessera's session view;
 * - with both loaded, express-session's declaration of `req.session` takes precedence (so code and
 *   `SessionData` augmentations written for express-session keep compiling), with no error under
 *   `skipLibCheck: true`; with `skipLibCheck: false` tsc reports TS2430 in a declaration file.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const testDir = dirname(fileURLToPath(import.meta.url));
const packageDir = dirname(testDir);

/**
 * Type-checks one virtual file placed in this directory (with `skipLibCheck: false`, so the
 * diagnostics of declaration files show too); returns them as `TS<code> <file>: <message>`.
 */
function check(source: string): string[] {
  const fileName = join(testDir, "__types_fixture__.ts");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noImplicitOverride: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: false,
    types: ["node"],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    baseUrl: packageDir,
    paths: { "@tessera/adapter-express": ["src/index.ts"] },
  };
  const host = ts.createCompilerHost(options);
  // Type libraries (`types: ["node"]`) resolve from here, whichever directory vitest runs in.
  host.getCurrentDirectory = () => packageDir;
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.getSourceFile = (name, language) =>
    name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? d.file.fileName.replace(/.*node_modules\//, "node_modules/").replace(packageDir, ".") : "";
    return `TS${d.code} ${file}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

const TESSERA_APP = `
import express from "express";
import session from "@tessera/adapter-express";
const app = express();
app.use(session({ secret: "a secret of at least thirty-two characters" }));
app.get("/", async (req, res) => {
  req.session.rememberMe(true);
  req.session.flash("notice", "hi");
  req.sessionID = "replaced";
  await req.session.regenerate();
  res.send(String(req.session.isNew));
});
`;

const MIGRATING_APP = `
import express from "express";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";
import session from "@tessera/adapter-express";

declare module "express-session" {
  interface SessionData { userId: string }
}

class MyStore extends session.Store {
  override get(sid: string, cb: (error: unknown, session?: unknown) => void) { cb(null, null); }
  override set(sid: string, value: unknown, cb?: (error?: unknown) => void) { cb?.(); }
  override destroy(sid: string, cb?: (error?: unknown) => void) { cb?.(); }
}

const client = createClient();
const app = express();
app.use(session({ secret: "a secret of at least thirty-two characters", store: new RedisStore({ client }) }));
app.use(session({ secret: "a secret of at least thirty-two characters", store: new MyStore() }));
app.use(session({ secret: "a secret of at least thirty-two characters", store: new session.MemoryStore() }));
app.post("/login", (req, res) => {
  req.session.regenerate((error) => {
    if (error) return res.sendStatus(500);
    req.session.userId = "u1";
    req.session.cookie.maxAge = 60_000;
    req.session.save(() => res.send(req.sessionID));
  });
});
`;

/** In a declaration file: what `skipLibCheck: true` (the common setting) hides. */
const inDeclarationFile = (line: string) => /^TS\d+ node_modules\/.*\.d\.ts:/.test(line);

describe("types (tsc on fixtures)", () => {
  it("alone: req.session is Tessera's session view (rememberMe, flash, promises), without any error", () => {
    expect(check(TESSERA_APP)).toEqual([]);
  }, 120_000);

  it("with @types/express-session loaded: an express-session app, its SessionData and its stores compile unchanged; express-session's req.session type wins", () => {
    const diagnostics = check(`${MIGRATING_APP}\napp.get("/x", (req) => { req.session.rememberMe(true); });\n`);
    // In the app: only the Tessera-only member, which needs a cast while express-session's types are loaded.
    expect(diagnostics.filter((line) => !inDeclarationFile(line))).toEqual([
      expect.stringMatching(/^TS2339 .*'rememberMe' does not exist on type 'Session & Partial<SessionData>'/),
    ]);
    // In declaration files (shown only with skipLibCheck: false): the two declarations of req.session differ.
    const hidden = diagnostics.filter(inDeclarationFile);
    expect(hidden.length).toBeGreaterThan(0);
    for (const line of hidden) expect(line).toMatch(/^TS2430 .*Interface 'Request' incorrectly extends interface 'SessionRequestMembers'/);
  }, 120_000);
});
