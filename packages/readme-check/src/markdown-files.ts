import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The Markdown files whose code blocks are checked, relative to the repository root: README.md,
 * packages/<name>/README.md, examples/<name>/README.md and docs/*.md, in a stable order.
 */
export function markdownFiles(root: string): string[] {
  const files: string[] = [];
  if (existsSync(join(root, "README.md"))) files.push("README.md");
  for (const parent of ["packages", "examples"]) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (existsSync(join(dir, name, "README.md"))) files.push(`${parent}/${name}/README.md`);
    }
  }
  const docs = join(root, "docs");
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith(".md")) files.push(`docs/${name}`);
  }
  return files;
}
