/** How literal text is written in the template's YAML so that Helm reads back the same string, as readably as possible. */

/** Strings YAML reads back as the same string stay unquoted, for readable templates; anything else is JSON-quoted. */
export const plainScalar = (s: string): boolean =>
  /^[A-Za-z/][A-Za-z0-9_./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s);

/** Keys stay plain where YAML reads them back as the same string; anything else is quoted. */
export const yamlKey = (k: string): string =>
  /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);

/**
 * A multi-line string (a script, a config file) as a literal block scalar, read line by line: the indicator (`|-`,
 * `|` or `|+`, by how many newlines end it) and the lines. Undefined for text a block scalar cannot carry as is:
 * template braces, control characters, a first line starting with a space (it would set the indentation) or a
 * line of spaces only (YAML would read it as empty).
 */
export const blockScalar = (
  s: string,
  { allowActions = false } = {},
): { indicator: string; lines: string[] } | undefined => {
  if (!s.includes("\n") || (!allowActions && (s.includes("{{") || s.includes("}}")))) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s)) return undefined;
  const trailing = s.match(/\n*$/)?.[0].length ?? 0;
  const lines = (trailing > 0 ? s.slice(0, -1) : s).split("\n");
  const first = lines.find((l) => l.length > 0);
  if (first === undefined || first.startsWith(" ") || lines.some((l) => l.length > 0 && l.trim() === ""))
    return undefined;
  return { indicator: trailing === 0 ? "|-" : trailing === 1 ? "|" : "|+", lines };
};
