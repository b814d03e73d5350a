import { unwrap } from "./go-expr.js";
import type { IncludeMarker } from "./markers.js";
import { alwaysPlain, type Plainness, schemaPlainness } from "./plain-text.js";

/**
 * Template mode: a chart function reads values through a proxy whose every leaf is a Token, a stand-in for a Helm
 * expression such as `$.Values.ollama.replicas`. The emitter turns tokens back into `{{ … }}`.
 */

export type ValueType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "unknown";

/** A reference to a value known only when Helm renders: its Go template expression and its JSON type. */
export class Token {
  constructor(
    readonly expr: string,
    readonly type: ValueType,
    /** What the value's text is known to be made of (see plain-text.ts): what lets it go into YAML as it is. */
    readonly plain: Plainness = "none",
  ) {}
}

/** Reading this symbol from a token proxy yields its Token. */
export const TOKEN = Symbol("llmcharts.token");

/** Reading this symbol from a list token proxy yields the schema of its items (for `each`). */
export const ITEM_SCHEMA = Symbol("llmcharts.itemSchema");

const placeholderPattern = /\u27e6tok:(\d+)\u27e7/g;

/**
 * Strings travel through chart code as placeholders (`⟦tok:3⟧`), so that `${values.name}-ollama` keeps working;
 * the registry maps each placeholder back to its token.
 */
export class TokenRegistry {
  private readonly tokens: Token[] = [];
  /** The engine's own named templates (`define`) the chart's expressions include, by name: written to `_llmcharts.tpl`. */
  readonly defines = new Map<string, string>();
  /** The chart's named templates (its partials), by name: written to `_helpers.tpl`. */
  readonly partials = new Map<string, string>();
  /** Named maps read inside expressions (`include … | fromYaml`), which the emitter must still define. */
  readonly includedInExpressions = new Set<IncludeMarker>();

  placeholder(token: Token): string {
    let id = this.tokens.indexOf(token);
    if (id < 0) id = this.tokens.push(token) - 1;
    return `\u27e6tok:${id}\u27e7`;
  }

  /** Splits a string into literal parts and tokens; a string without placeholders yields itself. */
  split(text: string): (string | Token)[] {
    const parts: (string | Token)[] = [];
    let last = 0;
    for (const m of text.matchAll(placeholderPattern)) {
      if (m.index > last) parts.push(text.slice(last, m.index));
      parts.push(this.tokens[Number(m[1])] as Token);
      last = m.index + m[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return parts;
  }

  /**
   * A string with placeholders as one Go template expression. Integers pass through `int64`, because Helm holds
   * numbers as float64 and prints 1000000 as 1e+06.
   */
  joined(text: string): string {
    const parts = this.split(text);
    if (parts.length === 1) return parts[0] instanceof Token ? stringOperand(parts[0]) : JSON.stringify(parts[0]);
    // As a person writes it: the literal text with a verb where each value goes.
    const format = parts.map((p) => (p instanceof Token ? verb(p) : p.replaceAll("%", "%%"))).join("");
    const args = parts.filter((p) => p instanceof Token).map(stringOperand);
    return `(printf ${JSON.stringify(format)} ${args.join(" ")})`;
  }

  /**
   * A string as YAML text a person would write, `tenant-{{ $.Values.tenant.name }}`, where YAML reads it back as
   * that string whatever the values are; undefined where it might not.
   */
  plainYaml(text: string): string | undefined {
    const parts = this.split(text);
    const described = parts.map((p) => (p instanceof Token ? { plain: p.plain, integer: p.type === "integer" } : p));
    return alwaysPlain(described) ? interpolated(parts) : undefined;
  }

  /**
   * A string as the text of a named template: literal text, `{{ value }}` where a value goes (no YAML to escape);
   * through `printf` where the text starts or ends with spaces, which `define`'s trimming would take.
   */
  templateText(text: string): string {
    const parts = this.split(text);
    const spaced = /^\s|\s$/.test(text) || text.includes("{{") || text.includes("}}");
    return spaced || parts.some((p) => p instanceof Token && p.type !== "string" && p.type !== "integer")
      ? `{{ ${this.joined(text)} }}`
      : interpolated(parts);
  }

  /** A string as template text: literal text, `{{ value }}` where each value goes. */
  interpolated(text: string): string {
    return interpolated(this.split(text));
  }

  hasPlaceholder(text: string): boolean {
    return text.includes("\u27e6tok:");
  }
}

const stringOperand = (t: Token): string => (t.type === "integer" ? `(${t.expr} | int64)` : t.expr);

/** Literal text with `{{ value }}` where each value goes. */
const interpolated = (parts: readonly (string | Token)[]): string =>
  parts
    .map((p) => (p instanceof Token ? `{{ ${unwrap(p.expr)}${p.type === "integer" ? " | int64" : ""} }}` : p))
    .join("");

/** `%v` prints any value as `join` did (a float64 as Go prints it); strings and integers read better as %s and %d. */
const verb = (t: Token): string => (t.type === "string" ? "%s" : t.type === "integer" ? "%d" : "%v");

/** The schema of one value, as far as the proxy needs it: its type and its children. */
export interface SchemaNode {
  type?: string | string[];
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
}

const typeOf = (schema: SchemaNode | undefined): ValueType => {
  const t = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  return (t as ValueType | undefined) ?? "unknown";
};

/** Go template access to a key: `.name` when it is an identifier, `index X "key"` otherwise. */
const child = (expr: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${expr}.${key}` : `(index ${expr} ${JSON.stringify(key)})`;

/**
 * A proxy standing for the value at `expr`: property reads go deeper, a template literal yields a placeholder,
 * arithmetic fails loudly (Helm values cannot be computed on in TypeScript; use the helpers).
 */
export const tokenProxy = (expr: string, schema: SchemaNode | undefined, registry: TokenRegistry): unknown => {
  // Only a value that is always a string (never null) may go into YAML as its text.
  const token = new Token(expr, typeOf(schema), schema?.type === "string" ? schemaPlainness(schema) : "none");
  const target = {};
  return new Proxy(target, {
    get(_, prop) {
      if (prop === TOKEN) return token;
      if (prop === ITEM_SCHEMA) return schema?.items;
      if (prop === Symbol.toPrimitive) {
        return (hint: string) => {
          if (hint === "number") {
            throw new Error(
              `${expr} is a Helm value: arithmetic on it in TypeScript cannot be templated; use a helper`,
            );
          }
          return registry.placeholder(token);
        };
      }
      if (prop === "toJSON") return undefined;
      if (typeof prop === "symbol") return undefined;
      if (token.type === "array" || token.type === "string" || token.type === "number" || token.type === "integer") {
        throw new Error(
          `${expr} is a Helm value of type ${token.type}: reading .${prop} on it needs a helper (each, when)`,
        );
      }
      const next =
        schema?.properties?.[prop] ??
        (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined);
      return tokenProxy(child(expr, prop), next, registry);
    },
    has: (_, prop) => prop === TOKEN,
    ownKeys: () => {
      throw new Error(`${expr} is a Helm value: its keys are known only when Helm renders; use a helper`);
    },
  });
};

/** The Token behind a proxy, or undefined for plain data. */
export const tokenOf = (value: unknown): Token | undefined =>
  value !== null && typeof value === "object" && TOKEN in value ? (value as Record<symbol, Token>)[TOKEN] : undefined;
