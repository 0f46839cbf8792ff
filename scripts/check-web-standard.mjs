#!/usr/bin/env node
/**
 * Fails when a package that must run on every runtime (core, adapter-hono) uses a Node-only API
 * in its sources or its built output (ESM, CJS and declaration files): an import, require or
 * dynamic import of a `node:*` module or a Node built-in, a reference to `Buffer`, `process`,
 * `global`, `__dirname`, `__filename`, `setImmediate`, `require` or the `NodeJS` namespace, or a
 * `/// <reference types="node" />`. The linter checks sources too; this also checks what is
 * published. Files are parsed with TypeScript, so comments and strings never count.
 *
 * Usage: node scripts/check-web-standard.mjs [package-dir ...]   (default: the two packages)
 * Each package must have a `src` and a built `dist` (run the build first).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const root = new URL("..", import.meta.url).pathname;
const DEFAULT_PACKAGES = ["packages/core", "packages/adapter-hono"];
const packages = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_PACKAGES;

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));
/** Globals that exist only on Node (or Node-compatible modes). */
const NODE_GLOBALS = new Set([
  "Buffer",
  "process",
  "global",
  "__dirname",
  "__filename",
  "setImmediate",
  "clearImmediate",
  "require",
  "NodeJS",
]);

function isNodeModule(specifier) {
  return specifier.startsWith("node:") || BUILTINS.has(specifier) || BUILTINS.has(specifier.split("/")[0]);
}

/** True when `node` is a name that is not a reference to a global (a property, a key, a declaration). */
function isNotAReference(node) {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isEnumMember(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === node
  ) {
    return true;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent)) && parent.name === node) return true;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === node) return true;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
  if (ts.isModuleDeclaration(parent) && parent.name === node) return true; // `declare global { ... }`
  return false;
}

/** The problems in one file: `[line, message]` pairs. */
export function scanSource(fileName, text) {
  const kind = /\.d\.[cm]?ts$/.test(fileName) || /\.[cm]?ts$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  // CommonJS output loads its dependencies with `require`: allowed there, its specifiers still checked.
  const globals = fileName.endsWith(".cjs") ? new Set([...NODE_GLOBALS].filter((name) => name !== "require")) : NODE_GLOBALS;
  const problems = [];
  const report = (node, message) => problems.push([source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message]);
  for (const directive of source.typeReferenceDirectives) {
    if (directive.fileName === "node" || directive.fileName.startsWith("node/")) {
      problems.push([source.getLineAndCharacterOfPosition(directive.pos).line + 1, 'reference to types "node"']);
    }
  }
  const visit = (node) => {
    let specifier;
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifier = node.moduleSpecifier;
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifier = node.argument.literal;
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifier = node.arguments[0];
    }
    if (specifier && isNodeModule(specifier.text)) report(specifier, `imports Node module "${specifier.text}"`);
    if (ts.isIdentifier(node) && globals.has(node.text) && !isNotAReference(node)) report(node, `uses Node global \`${node.text}\``);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

function* files(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.[cm]?[jt]s$/.test(entry)) yield path;
  }
}

function main() {
  let problems = 0;
  let scanned = 0;
  const fail = (message) => {
    console.error(message);
    problems++;
  };
  for (const pkg of packages) {
    const pkgDir = resolve(root, pkg);
    if (!existsSync(pkgDir)) {
      fail(`${pkg} does not exist: this check must see every package that has to run on every runtime.`);
      continue;
    }
    for (const sub of ["src", "dist"]) {
      const dir = join(pkgDir, sub);
      if (!existsSync(dir)) {
        fail(sub === "dist" ? `${pkg}/dist is missing: build before this check.` : `${pkg}/src is missing.`);
        continue;
      }
      let inDir = 0;
      for (const file of files(dir)) {
        inDir++;
        for (const [line, message] of scanSource(file, readFileSync(file, "utf8"))) fail(`${relative(root, file)}:${line}: ${message}`);
      }
      if (inDir === 0) fail(`${pkg}/${sub} has no source or built file to check.`);
      scanned += inDir;
    }
  }
  if (problems > 0) {
    console.error(`${problems} problem(s): packages that must run on every runtime use Node-only APIs or are not built.`);
    process.exit(1);
  }
  console.log(`web-standard check: ${scanned} files clean in ${packages.join(", ")}.`);
}

if (import.meta.url === `file://${process.argv[1]}` || resolve(process.argv[1] ?? "") === new URL(import.meta.url).pathname) main();
