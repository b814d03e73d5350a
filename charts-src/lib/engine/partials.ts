import { type Condition, testExpr } from "./conditions.js";
import { brokenLine } from "./go-expr.js";

/**
 * A chart's named templates (Helm's `define`), as Bitnami's `common` writes them: each shared fragment once, in the
 * chart's `_helpers.tpl`, and used by name. The body sees only the root context (`include "<name>" $`), so a
 * fragment may read values, the release and the chart, but no `range` variable of the place it is used at.
 */

/** A why-comment as template comments, lines of even length up to 120 characters, each chomping its line away. */
export const commentLines = (text: string, ind: string): string[] => {
  if (text.includes("*/")) throw new Error(`a template comment cannot hold "*/": ${text}`);
  const width = Math.ceil(text.length / Math.ceil(text.length / 120));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width + 10) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${ind}{{- /* ${l} */}}`);
};

/** The named template's text: its why-comment, then `define` around the body's lines. */
export const defineText = (name: string, body: readonly string[], why: string | undefined): string =>
  [
    ...(why ? commentLines(why, "") : []),
    `{{- define ${JSON.stringify(name)} -}}`,
    ...body.flatMap(brokenLine),
    "{{- end }}",
  ].join("\n");

/** A named condition prints `true` when it holds and nothing otherwise, so that `if include "<name>" $` tests it. */
export const conditionBody = (c: Condition): string[] => [`{{- if ${testExpr(c, true)} }}true{{- end }}`];

/** How a named template is used in an expression (a condition: Helm's truth of the text it prints). */
export const includeExpr = (name: string, context: string): string => `(include ${JSON.stringify(name)} ${context})`;

const rangeVariable = /\$(item|i)\d+\b/g;
const rangeDeclaration = /range\s+(\$i\d+),\s+(\$item\d+)\s+:=/g;

/**
 * Records a named template, refusing one that cannot stand alone (it reads a `range` variable) and one whose uses
 * disagree (the fragment depends on more than the values: each use must render the same text).
 */
export const recordPartial = (partials: Map<string, string>, name: string, text: string): void => {
  const declared = new Set([...text.matchAll(rangeDeclaration)].flatMap((m) => [m[1], m[2]]));
  const outer = [...text.matchAll(rangeVariable)].map((m) => m[0]).find((variable) => !declared.has(variable));
  if (outer) {
    throw new Error(
      `partial ${name} reads ${outer}, a variable of the range it is used in; a named template sees only the values`,
    );
  }
  const known = partials.get(name);
  if (known !== undefined && known !== text) {
    throw new Error(`partial ${name} renders differently where it is used; give each variant its own name`);
  }
  partials.set(name, text);
};
