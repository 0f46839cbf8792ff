/**
 * Finds the TypeScript code blocks of a Markdown file, with the Markdown line of every code line,
 * so a compiler message can point at the README line that caused it.
 */

/** A unit compiled as one module: a block, or a block joined by the ones marked `<!-- continues -->`. */
export interface CheckedUnit {
  /** 1-based line of the opening fence of the first block. */
  fenceLine: number;
  /** How many Markdown blocks were joined into this unit. */
  blockCount: number;
  /** The code, one entry per line. */
  code: string[];
  /** For each entry of `code`, its 1-based line in the Markdown file. */
  markdownLines: number[];
}

/** A block skipped with `<!-- not-checked: reason -->`. */
export interface SkippedBlock {
  fenceLine: number;
  reason: string;
}

export interface ExtractedBlocks {
  units: CheckedUnit[];
  skipped: SkippedBlock[];
}

const openingFence = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/;
const anyOpeningFence = /^(\s*)(`{3,}|~{3,})(.*)$/;
const notChecked = /^\s*<!--\s*not-checked:\s*(.*?)\s*-->\s*$/;
const continues = /^\s*<!--\s*continues\s*-->\s*$/;

/** The nearest non-blank line above `index`, or undefined. */
function markerAbove(lines: string[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (line.trim() !== "") return line;
  }
  return undefined;
}

/**
 * Extracts the ```ts / ```typescript blocks of `markdown`. Other fenced blocks are skipped whole
 * (so a ts fence shown inside a ```md block is not taken). Throws on an unterminated fence, a
 * `not-checked` marker without a reason, and a `continues` marker with no checked block before it.
 */
export function extractBlocks(markdown: string, fileName: string): ExtractedBlocks {
  const lines = markdown.split(/\r?\n/);
  const units: CheckedUnit[] = [];
  const skipped: SkippedBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const fence = anyOpeningFence.exec(line);
    if (!fence) {
      index++;
      continue;
    }
    const indent = fence[1] ?? "";
    const ticks = fence[2] ?? "```";
    const fenceLine = index + 1;
    const body: string[] = [];
    const bodyLines: number[] = [];
    let closed = false;
    for (index++; index < lines.length; index++) {
      const inner = lines[index] ?? "";
      if (inner.trim().startsWith(ticks) && inner.trim().replace(/[`~]/g, "") === "") {
        closed = true;
        index++;
        break;
      }
      // Blocks inside list items are indented: the fence's indentation is not part of the code.
      body.push(inner.startsWith(indent) ? inner.slice(indent.length) : inner.trimStart());
      bodyLines.push(index + 1);
    }
    if (!closed) throw new Error(`${fileName}:${fenceLine}: code fence is never closed`);
    if (!openingFence.test(line)) continue;

    const marker = markerAbove(lines, fenceLine - 1);
    const skip = marker === undefined ? null : notChecked.exec(marker);
    if (skip) {
      const reason = skip[1] ?? "";
      if (reason === "") throw new Error(`${fileName}:${fenceLine}: <!-- not-checked: ... --> needs a reason`);
      skipped.push({ fenceLine, reason });
      continue;
    }
    if (marker !== undefined && continues.test(marker)) {
      const previous = units.at(-1);
      if (!previous) throw new Error(`${fileName}:${fenceLine}: <!-- continues --> but no checked block comes before it`);
      previous.code.push(...body);
      previous.markdownLines.push(...bodyLines);
      previous.blockCount++;
      continue;
    }
    units.push({ fenceLine, blockCount: 1, code: body, markdownLines: bodyLines });
  }
  return { units, skipped };
}
