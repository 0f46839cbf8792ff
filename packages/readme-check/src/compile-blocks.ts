/**
 * Compiles the code blocks of one Markdown file as ES modules with tsc's API, against the packages
 * installed in this package's node_modules (the workspace's built packages and their peers).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import type { CheckedUnit } from "./extract-blocks.js";

/** The settings a reader's project most likely has: strict, Node's own ESM resolution. */
const tsconfigOptions = {
  strict: true,
  module: "NodeNext",
  moduleResolution: "NodeNext",
  target: "ES2022",
  skipLibCheck: true,
  noEmit: true,
  types: ["node"],
};

export const compilerOptions: ts.CompilerOptions = ts.convertCompilerOptionsFromJson(tsconfigOptions, ".").options;

export interface BlockFailure {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line in the Markdown file (of the code line the message is about). */
  line: number;
  /** The opening fence line of the block. */
  fenceLine: number;
  message: string;
}

// Declaration files parsed once for every program of the process: they are the slow part.
const sourceFileCache = new Map<string, ts.SourceFile>();

function cachingHost(workDir: string): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions, true);
  // `types: ["node"]` resolves from the current directory: the blocks', as `tsc -p` there would, not the test runner's.
  host.getCurrentDirectory = () => workDir;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith(".d.ts") && !fileName.endsWith(".d.mts") && !fileName.endsWith(".d.cts")) {
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    }
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let file = sourceFileCache.get(key);
    if (!file) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file) sourceFileCache.set(key, file);
    }
    return file;
  };
  return host;
}

/**
 * Writes each unit as `<workDir>/block-<fence line>.ts` (the directory is emptied first; it must be
 * inside a package of type "module" whose node_modules has the imported packages) and type-checks
 * each as its own program. Returns the failures, mapped back to Markdown lines.
 */
export function compileUnits(units: CheckedUnit[], options: { workDir: string; markdownFile: string }): BlockFailure[] {
  const { workDir } = options;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const byPath = new Map<string, CheckedUnit>();
  for (const unit of units) {
    const path = join(workDir, `block-${unit.fenceLine}.ts`);
    // `export {}` makes every block a module: top-level await works, and names do not leak between blocks.
    writeFileSync(path, `${unit.code.join("\n")}\nexport {};\n`);
    byPath.set(path, unit);
  }
  // A tsconfig next to the blocks, so `tsc -p <workDir>` shows the errors by hand (all blocks in one program).
  writeFileSync(join(workDir, "tsconfig.json"), `${JSON.stringify({ compilerOptions: tsconfigOptions, include: ["*.ts"] }, null, 2)}\n`);

  // One program per unit: a block's imports (say, types that augment express-session) must not
  // change how another block of the same file compiles, as they would not in the reader's project.
  const failures: BlockFailure[] = [];
  for (const [path, unit] of byPath) {
    const program = ts.createProgram([path], compilerOptions, cachingHost(workDir));
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) failures.push(toFailure(diagnostic, path, unit, options));
  }
  return failures;
}

function toFailure(
  diagnostic: ts.Diagnostic,
  path: string,
  unit: CheckedUnit,
  { workDir, markdownFile }: { workDir: string; markdownFile: string },
): BlockFailure {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || ts.sys.resolvePath(diagnostic.file.fileName) !== path) {
    const where = diagnostic.file ? `${relative(workDir, diagnostic.file.fileName)}: ` : "";
    return { file: markdownFile, line: unit.fenceLine, fenceLine: unit.fenceLine, message: `${where}TS${diagnostic.code}: ${message}` };
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const markdownLine = unit.markdownLines[line] ?? unit.markdownLines.at(-1) ?? unit.fenceLine;
  return { file: markdownFile, line: markdownLine, fenceLine: unit.fenceLine, message: `TS${diagnostic.code}: ${message}` };
}

/** One line per failure: `file:line (block at line N): TSxxxx: message`. */
export function formatFailure(failure: BlockFailure): string {
  return `${failure.file}:${failure.line} (block at line ${failure.fenceLine}): ${failure.message}`;
}
