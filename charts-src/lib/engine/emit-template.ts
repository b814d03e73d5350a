import { IfMarker, OMIT, RangeMarker, Refusal } from "./markers.js";
import { Token, type TokenRegistry, tokenOf } from "./tokens.js";

/**
 * Writes resources holding tokens and markers as a Helm template: plain data as YAML, every value reference as
 * `{{ … | toJson }}` (JSON is valid YAML, so strings, numbers, booleans, maps and lists all come out typed and
 * escaped), markers as `{{- if }}` / `{{- range }}` around the key, list item or document they govern.
 */
export class TemplateEmitter {
  constructor(private readonly registry: TokenRegistry) {}

  /** One template file: every document, each after `---`. */
  documents(docs: readonly unknown[]): string {
    return `${this.docLines(docs).join("\n")}\n`;
  }

  private docLines(doc: unknown): string[] {
    if (doc === OMIT || doc === undefined) return [];
    if (Array.isArray(doc)) return doc.flatMap((d) => this.docLines(d));
    if (doc instanceof IfMarker) return this.guarded(doc, "", (v) => this.docLines(v));
    if (doc instanceof RangeMarker) return this.ranged(doc, "", (v) => this.docLines(v));
    if (doc instanceof Refusal) return [`{{- fail ${this.registry.joined(doc.message)} }}`];
    if (isPlainObject(doc)) return ["---", ...this.mapBlock(doc, "")];
    throw new Error(`a chart template must yield resources, got ${String(doc)}`);
  }

  private guarded(m: IfMarker, ind: string, lines: (v: unknown) => string[]): string[] {
    const out = [`${ind}{{- if ${m.condition.expr} }}`, ...lines(m.value)];
    if (m.otherwise !== OMIT) out.push(`${ind}{{- else }}`, ...lines(m.otherwise));
    return [...out, `${ind}{{- end }}`];
  }

  private ranged(m: RangeMarker, ind: string, lines: (v: unknown) => string[]): string[] {
    return [`${ind}{{- range ${m.indexVar}, ${m.itemVar} := ${m.listExpr} }}`, ...lines(m.body), `${ind}{{- end }}`];
  }

  /** A scalar, token or empty collection on one line; undefined when the value needs a block. */
  private inline(v: unknown): string | undefined {
    const token = tokenOf(v);
    if (token) return `{{ ${token.expr} | toJson }}`;
    if (v === null) return "null";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v === "string") return this.inlineString(v);
    if (Array.isArray(v) && v.length === 0) return "[]";
    if (isPlainObject(v) && Object.keys(v).length === 0) return "{}";
    return undefined;
  }

  private inlineString(s: string): string {
    if (this.registry.hasPlaceholder(s)) {
      const parts = this.registry.split(s);
      // A string that is exactly one value keeps that value's type, as in concrete mode.
      const single = parts.length === 1 && parts[0] instanceof Token;
      const joined = this.registry.joined(s);
      // In TypeScript, `${value}` is always a string: a lone number must become one in the template too.
      const only = single && (parts[0] as Token).type !== "string" ? `(${joined} | toString)` : joined;
      return `{{ ${only} | toJson }}`;
    }
    // Literal braces would be read by Helm as template actions: pass them through a string literal.
    if (s.includes("{{") || s.includes("}}")) return `{{ ${JSON.stringify(s)} | toJson }}`;
    return plainScalar(s) ? s : JSON.stringify(s);
  }

  private entryLines(key: string, v: unknown, ind: string): string[] {
    if (v === OMIT || v === undefined) return [];
    if (v instanceof IfMarker) return this.guarded(v, ind, (x) => this.entryLines(key, x, ind));
    const k = yamlKey(key);
    const one = this.inline(v);
    if (one !== undefined) return [`${ind}${k}: ${one}`];
    if (Array.isArray(v)) return [`${ind}${k}:`, ...this.listBlock(v, `${ind}  `)];
    if (isPlainObject(v)) return [`${ind}${k}:`, ...this.mapBlock(v, `${ind}  `)];
    throw new Error(`cannot emit ${key}: ${String(v)}`);
  }

  private mapBlock(obj: Record<string, unknown>, ind: string): string[] {
    const entries = Object.entries(obj).filter(([, v]) => v !== OMIT && v !== undefined);
    const lines = entries.flatMap(([k, v]) => this.entryLines(k, v, ind));
    return this.orEmpty(
      entries.map(([, v]) => v),
      lines,
      ind,
      "{}",
    );
  }

  private listBlock(items: readonly unknown[], ind: string): string[] {
    const kept = items.filter((v) => v !== OMIT && v !== undefined);
    const lines = kept.flatMap((item) => {
      if (item instanceof IfMarker) return this.guarded(item, ind, (x) => this.itemLines(x, ind));
      if (item instanceof RangeMarker) return this.ranged(item, ind, (x) => this.itemLines(x, ind));
      return this.itemLines(item, ind);
    });
    return this.orEmpty(kept, lines, ind, "[]");
  }

  /**
   * A block whose every member is conditional may render empty, which YAML reads as null; guard it so that it
   * renders `{}` or `[]` instead, as concrete mode does.
   */
  private orEmpty(members: unknown[], lines: string[], ind: string, empty: string): string[] {
    const conditions = members.map((m) => {
      if (m instanceof IfMarker && m.otherwise === OMIT) return m.condition.expr;
      if (m instanceof RangeMarker) return m.listExpr;
      return undefined;
    });
    if (conditions.some((c) => c === undefined)) return lines;
    return [`${ind}{{- if or ${conditions.join(" ")} }}`, ...lines, `${ind}{{- else }} ${empty}`, `${ind}{{- end }}`];
  }

  private itemLines(item: unknown, ind: string): string[] {
    if (item === OMIT || item === undefined) return [];
    if (item instanceof IfMarker) return this.guarded(item, ind, (x) => this.itemLines(x, ind));
    const one = this.inline(item);
    if (one !== undefined) return [`${ind}- ${one}`];
    const inner = Array.isArray(item)
      ? this.listBlock(item, `${ind}  `)
      : this.mapBlock(item as Record<string, unknown>, `${ind}  `);
    const first = inner[0] ?? "";
    if (!first.trimStart().startsWith("{{")) return [`${ind}- ${first.trimStart()}`, ...inner.slice(1)];
    return [`${ind}-`, ...inner];
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !tokenOf(v) &&
  !(v instanceof IfMarker) &&
  !(v instanceof RangeMarker) &&
  !(v instanceof Refusal);

/** Strings YAML reads back as the same string stay unquoted, for readable templates; anything else is JSON-quoted. */
const plainScalar = (s: string): boolean =>
  /^[A-Za-z/][A-Za-z0-9_./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s);

/** Keys stay plain where YAML reads them back as the same string; anything else is quoted. */
const yamlKey = (k: string): string =>
  /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);
