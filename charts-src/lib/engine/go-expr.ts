/**
 * Go template expressions as text: the few things the emitter needs to know about their shape (where a parenthesized
 * group ends, what its arguments are) to write them as a person would.
 */

/** Where the group opening at `open` closes, skipping string literals; -1 when it does not. */
const closingParen = (expr: string, open: number): number => {
  let depth = 0;
  for (let i = open; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"') i = stringEnd(expr, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
};

/** The index of the closing quote of the string literal opening at `open`. */
const stringEnd = (expr: string, open: number): number => {
  for (let i = open + 1; i < expr.length; i++) {
    if (expr[i] === "\\") i++;
    else if (expr[i] === '"') return i;
  }
  return expr.length;
};

/** An expression without the parentheses around all of it: `(eq a b)` → `eq a b`, for the head of a pipeline. */
export const unwrap = (expr: string): string =>
  expr.startsWith("(") && closingParen(expr, 0) === expr.length - 1 ? expr.slice(1, -1) : expr;

/** The space-separated operands of an expression, each a word, a string literal or a parenthesized group. */
export const operandsOf = (expr: string): string[] => {
  const out: string[] = [];
  let i = 0;
  while (i < expr.length) {
    if (expr[i] === " ") {
      i++;
      continue;
    }
    let end: number;
    if (expr[i] === "(") end = closingParen(expr, i) + 1;
    else if (expr[i] === '"') end = stringEnd(expr, i) + 1;
    else {
      end = i;
      while (end < expr.length && expr[end] !== " ") end++;
    }
    if (end <= i) return [expr];
    out.push(expr.slice(i, end));
    i = end;
  }
  return out;
};

/** How long a template line may grow before its action is broken over several lines. */
export const lineWidth = 160;

/**
 * A line whose one action is too long to read, broken as a person would: the function and its first words on the
 * line, then one operand per line under it (a `dict`'s key and value together, a pipe's stage), each operand broken
 * the same way while it is still too long. Go templates read newlines inside an action as spaces; a string literal
 * cannot be broken, and stays as long as it is.
 */
export const brokenLine = (line: string): string[] => {
  if (line.length <= lineWidth) return [line];
  const m = /^(\s*)(.*?\{\{-? )(.*?)( -?\}\})$/.exec(line);
  if (!m || (m[3] ?? "").startsWith("/*")) return [line];
  const [, ind = "", head = "", expr = "", tail = ""] = m;
  return layout(ind + head, expr, `${ind}    `, tail);
};

const layout = (prefix: string, expr: string, ind: string, suffix: string): string[] => {
  if (prefix.length + expr.length + suffix.length <= lineWidth) return [prefix + expr + suffix];
  const ops = operandsOf(expr);
  if (ops.length === 1) {
    const only = ops[0] as string;
    if (only.startsWith("(") && only.endsWith(")")) return layout(`${prefix}(`, only.slice(1, -1), ind, `)${suffix}`);
    return [prefix + expr + suffix];
  }
  // A pipe stage (`| default (printf …)`) reads as its pipe and function, then its arguments under them.
  const stage = ops[0] === "|" ? 1 : 0;
  let words = stage;
  while (words < ops.length - 1 && /^[A-Za-z]/.test(ops[words] as string)) words++;
  if (stage === 1 && words > 1) {
    const args = operandUnits(ops.slice(words), false);
    const head = `${prefix}${ops.slice(0, words).join(" ")}`;
    if (args.length === 1) return layout(`${head} `, args[0] as string, `${ind}  `, suffix);
    return [
      head,
      ...args.flatMap((unit, i) => layout(`${ind}  `, unit, `${ind}    `, i === args.length - 1 ? suffix : "")),
    ];
  }
  // A literal piped on (`"…" | toJson`) reads best as it is: breaking it would only move the literal.
  if (words === 0 && ops[0]?.startsWith('"')) return [prefix + expr + suffix];
  const units = operandUnits(ops.slice(words), ops[words - 1] === "dict");
  const rest = (from: number) =>
    units.slice(from).flatMap((unit, i) => layout(ind, unit, `${ind}  `, from + i === units.length - 1 ? suffix : ""));
  // A pipeline that starts with a group (`(dict …) | toJson`) starts on the first line.
  if (words === 0) return [...layout(prefix, units[0] as string, ind, ""), ...rest(1)];
  return [`${prefix}${ops.slice(0, words).join(" ")}`, ...rest(0)];
};

/** Operands as they read: a dict's key with its value, a pipe with its function and arguments. */
const operandUnits = (ops: string[], pairs: boolean): string[] => {
  const units: string[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as string;
    if (op === "|") {
      const next = ops.slice(i + 1).indexOf("|");
      const end = next < 0 ? ops.length : i + 1 + next;
      units.push(ops.slice(i, end).join(" "));
      i = end - 1;
    } else if (pairs && i + 1 < ops.length && ops[i + 1] !== "|") {
      units.push(`${op} ${ops[i + 1]}`);
      i++;
    } else units.push(op);
  }
  return units;
};
