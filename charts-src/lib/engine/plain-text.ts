/**
 * When a string built from literals and values can be written as a person would, `tenant-{{ .Values.tenant.name }}`,
 * rather than through `printf … | toJson`: YAML must read the rendered text back as the same string, whatever the
 * values are. That holds when every character is one a plain YAML scalar keeps as it is, the text starts with a
 * letter (never a number, a date or an indicator) and it can never be a YAML 1.1 keyword (true, no, null, …).
 */

/** Characters a plain scalar keeps as they are, anywhere but at its start. */
const safeChars = /^[A-Za-z0-9_./+-]*$/;

/** How far a value's text is known to be plain: not at all, only of safe characters, or a whole plain scalar. */
export type Plainness = "none" | "part" | "whole";

/**
 * Pattern parts that only match safe characters: groups, alternatives, quantifiers, `\d`, escaped punctuation,
 * safe characters, and classes of them (ranges only within letters or digits; a `-` of its own only at an end).
 */
const safePatternPart =
  /^(\(|\)|\||\?|\*|\+|\{\d+(,\d*)?\}|\\d|\\[.\-/+_]|[A-Za-z0-9_/-]|\[-?(?:[a-z]-[a-z]|[A-Z]-[A-Z]|[0-9]-[0-9]|[A-Za-z0-9_./+]|\\[.\-/+_]|\\d)+-?\])/;

/**
 * True when every string the pattern matches is made of safe characters: anchored at both ends (JSON Schema
 * patterns match anywhere otherwise), no alternative outside a group, and only safe parts. False when unsure.
 */
const patternIsSafe = (pattern: string): boolean => {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) return false;
  let rest = pattern.slice(1, -1);
  let depth = 0;
  while (rest.length > 0) {
    const part = safePatternPart.exec(rest)?.[0];
    if (part === undefined || (part === "|" && depth === 0)) return false;
    depth += part === "(" ? 1 : part === ")" ? -1 : 0;
    rest = rest.slice(part.length);
  }
  return true;
};

/** What a string value's schema guarantees about its text. */
export const schemaPlainness = (schema: { pattern?: string; enum?: unknown[] } | undefined): Plainness => {
  if (schema?.enum?.every((e) => typeof e === "string" && safeChars.test(e))) return "part";
  return schema?.pattern !== undefined && patternIsSafe(schema.pattern) ? "part" : "none";
};

/**
 * What a partial's literal argument lets its body assume of the value (the body is written once, so every use must
 * agree: a use whose argument would change the body is refused when the chart is generated).
 */
export const literalPlainness = (text: string): Plainness => (safeChars.test(text) ? "part" : "none");

/** A part of a string: literal text, or a value with what is known of its text. */
export type TextPart = string | { plain: Plainness; integer: boolean };

/** True when the text the parts make is always a plain YAML scalar read back as that same text. */
export const alwaysPlain = (parts: readonly TextPart[]): boolean => {
  const first = parts[0];
  const startsWithLetter =
    typeof first === "string" ? /^[A-Za-z/]/.test(first) : first !== undefined && first.plain === "whole";
  // A digit or punctuation in the literal text, or a whole plain value, rules out every keyword.
  const neverKeyword = parts.some((p) => (typeof p === "string" ? /[-_./+0-9]/.test(p) : p.plain === "whole"));
  const safe = parts.every((p) => (typeof p === "string" ? safeChars.test(p) : p.integer || p.plain !== "none"));
  return startsWithLetter && neverKeyword && safe;
};
