import { createHash } from "node:crypto";
import type { Manifests } from "./chart.js";
import { all, anyOf, asDefault, boolExpr, type Condition, Equals, isCondition, not, Truth } from "./conditions.js";
import { unwrap } from "./go-expr.js";
import { literalPlainness } from "./plain-text.js";
import {
  CommentMarker,
  EntriesMarker,
  entriesKey,
  IfMarker,
  IncludeMarker,
  includeKey,
  OMIT,
  RangeMarker,
  Refusal,
} from "./markers.js";
import { conditionBody, defineText, includeExpr, recordPartial } from "./partials.js";
import { ITEM_SCHEMA, type SchemaNode, Token, type TokenRegistry, tokenOf, tokenProxy } from "./tokens.js";

/**
 * A condition a helper built (`eq`, `and`, `isSet`, …). Opaque on purpose: its type is `void`, so TypeScript refuses
 * to test it (`if`, `?:`, `!`, `&&` are errors): in template mode it is a Helm expression, always truthy in TS.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: void is the point: tsc refuses to test a void for truthiness.
export type Cond = void;

/** What a helper takes as a condition: a helper's condition, or a boolean read from the values (or a constant). */
export type Test = Cond | boolean;

/**
 * What chart code uses for anything that depends on values. Both renderings implement it: concrete mode decides
 * at once, template mode emits Helm control flow. A TypeScript `if` on a value is a bug; use `when`.
 */
export interface Helpers {
  /**
   * `value` when `cond` holds, else `otherwise`; without `otherwise` the key, item or resource is left out. An
   * optional value guarded by `isSet` comes out as its own type (where it is unset, its key is left out).
   */
  when<T>(cond: Test, value: T | undefined, otherwise?: T): T;
  /** One `fn(item)` per element of a list value (a Helm `range`). Spread the result into a list. */
  each<T, R>(list: readonly T[], fn: (item: T, index: number) => R): R[];
  eq(a: unknown, b: unknown): Cond;
  not(a: Test): Cond;
  and(...conds: Test[]): Cond;
  or(...conds: Test[]): Cond;
  /** True when an optional value is set (not absent, not empty). */
  isSet(value: unknown): Cond;
  /** True when a list value contains the element. */
  includes(list: readonly unknown[], element: unknown): Cond;
  /** `a` when `cond` holds, else `b`, as a string inside other values (a label value, a part of a name). */
  pick(cond: Test, a: string, b: string): string;
  /** True when a string value starts with `prefix`. */
  hasPrefix(text: string, prefix: string): Cond;
  /**
   * `text` with every match of `pattern` replaced by `replacement`, taken literally (sprig's
   * `regexReplaceAllLiteral`): a pattern both Go's RE2 and JavaScript read alike (anchors, classes, no lookaround).
   */
  replaceMatch(text: string, pattern: string, replacement: string): string;
  /** A value as JSON text, to embed in a string (a CEL or JMESPath list literal, say). */
  toJson(value: unknown): string;
  /** The strings of a list joined by `separator`, to embed in a message. */
  join(list: readonly string[], separator: string): string;
  /** Lists (values or static) one after the other. */
  concat(...lists: (readonly string[])[]): string[];
  /** A list of strings with each repeat after the first left out (sprig's `uniq`), in their order. */
  unique(list: readonly string[]): string[];
  /** The first 10 hex digits of the SHA-256 of a string: stable names that change only when their input does. */
  shortHash(text: string): string;
  /** The product of two integers (sprig's `mul`): a size in MiB as bytes, say. */
  multiply(a: number, b: number): number;
  /**
   * The values of `field` that occur more than once in a list value of objects, joined by ", " (empty when none), in
   * the order their repeats appear: for a `refuse` naming them.
   */
  duplicates(list: readonly object[], field: string): string;
  /**
   * Refuse to render when `cond` holds, with `message` (name the field, the value and the fix): for rules no values
   * schema can state. A top-level item of a template's list.
   */
  refuse(cond: Test, message: string): Manifests;
  /**
   * A map value's entries, to spread into a static map beside the chart's own keys (`{ ...own, ...h.entries(v.x) }`),
   * where `merge` would turn the whole map into one expression. The values' schema must keep its keys apart from the
   * static ones: YAML keeps only one of two equal keys.
   */
  entries<T>(map: Record<string, T> | undefined): Record<string, T>;
  /** A map value without the given keys (sprig's `omit`), to spread with `entries`. */
  without(map: object, keys: readonly string[]): Record<string, unknown>;
  /** Flat string maps merged, later ones winning (`{...a, ...b}`); absent maps count as empty. */
  merge(...maps: (Record<string, string> | undefined)[]): Record<string, string>;
  /**
   * A fragment shared by several places, written once as the named template `<chart>.<name>` in `_helpers.tpl` and
   * used as `include`: a condition (`if include "tenant.hasStandard" $`), a string, a map's entries (spread it into the map:
   * `{ ...h.partial("labels", …), name }`) or a list's items (spread it into the list). `fragment` may read values,
   * never a variable of `each`; `why` is written above its `define`. What differs between uses goes in `args`
   * (`include "tenant.podSpread" (merge (dict "workload" "openwebui") $)`): the fragment reads each as a value. Concrete
   * mode just calls `fragment` with `args`.
   */
  partial<T, A extends Record<string, string> = Record<string, never>>(
    name: string,
    fragment: (args: A) => T,
    why?: string,
    args?: A,
  ): T;
  /**
   * A why-comment above `value` where a reader of the template would stop (`{{- /* no replicas: … *\/}}`); without
   * `value`, the comment alone, for a key left out on purpose (`replicas: h.comment("the HPA owns the count")`).
   */
  comment<T>(text: string, value?: T): T;
  /** The release and chart, known only at install time. */
  release: { name: string; namespace: string };
  chart: { version: string };
}

export interface ReleaseInfo {
  name: string;
  namespace: string;
  chartVersion: string;
}

/** Concrete mode: values are data, so every helper answers at once. */
export const concreteHelpers = (release: ReleaseInfo): Helpers => ({
  when: (cond, value, otherwise) => (cond ? value : (otherwise ?? OMIT)) as never,
  each: (list, fn) => (list ?? []).map(fn),
  eq: (a, b) => a === b,
  not: (a) => !a,
  and: (...c) => c.every(Boolean),
  or: (...c) => c.some(Boolean),
  isSet: (v) => !isEmpty(v),
  includes: (list, element) => list.includes(element),
  pick: (cond, a, b) => ((cond as unknown) ? a : b),
  // Go's `and` never reaches a test of an absent text; JavaScript evaluates every argument first.
  hasPrefix: (text, prefix) => (text ?? "").startsWith(prefix),
  replaceMatch: (text, pattern, replacement) => text.replace(new RegExp(pattern, "g"), () => replacement),
  toJson: (value) => goJson(value),
  join: (list, separator) => list.join(separator),
  concat: (...lists) => lists.flatMap((l) => [...(l ?? [])]),
  unique: (list) => [...new Set(list ?? [])],
  merge: (...maps) => Object.assign({}, ...maps.map((m) => m ?? {})),
  entries: (map) => ({ ...(map ?? {}) }),
  without: (map, keys) =>
    Object.fromEntries(Object.entries((map ?? {}) as Record<string, unknown>).filter(([k]) => !keys.includes(k))),
  duplicates: (list, field) => {
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const item of list ?? []) {
      const key = goString((item as Record<string, unknown>)[field]);
      if (seen.has(key) && !repeated.includes(key)) repeated.push(key);
      seen.add(key);
    }
    return repeated.join(", ");
  },
  refuse: (cond, message) => (cond ? new Refusal(message) : OMIT) as never,
  partial: (_name, fragment, _why, args) => fragment(args ?? ({} as never)),
  comment: (_text, value) => value as never,
  shortHash: (text) => createHash("sha256").update(text).digest("hex").slice(0, 10),
  multiply: (a, b) => a * b,
  release: { name: release.name, namespace: release.namespace },
  chart: { version: release.chartVersion },
});

/**
 * JSON as Helm's `toJson` (Go's encoder) writes it: map keys sorted, and <, > and & escaped, so that text built
 * from it (a hash, a CEL literal) is the same in both renderings.
 */
const goJson = (value: unknown): string =>
  goJsonText(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);

/**
 * The JSON text, map keys sorted. Written out by hand: a JavaScript object lists integer-like keys ("1") before the
 * others whatever their insertion order, so JSON.stringify of a sorted object would put "1" before "0a".
 */
const goJsonText = (v: unknown): string => {
  if (v === null || v === undefined || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(goJsonText).join(",")}]`;
  const entries = Object.entries(v)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goJsonText(x)}`).join(",")}}`;
};

/** Sprig's `toString` of a scalar value (what the duplicates template compares). */
const goString = (v: unknown): string => (v === undefined || v === null ? "<nil>" : String(v));

/**
 * The named template behind `duplicates`: a `range` keeping the keys seen, then the repeated ones joined. An
 * expression cannot loop, so the loop lives in a `define` the expression includes.
 */
const duplicatesTemplate = [
  `{{- define "llmcharts.engine.duplicates" -}}`,
  `{{- $seen := dict -}}{{- $repeated := list -}}`,
  `{{- range .list -}}`,
  `{{- $key := toString (get . $.field) -}}`,
  `{{- if and (hasKey $seen $key) (not (has $key $repeated)) -}}{{- $repeated = append $repeated $key -}}{{- end -}}`,
  `{{- $_ := set $seen $key true -}}`,
  `{{- end -}}`,
  `{{- join ", " $repeated -}}`,
  `{{- end -}}`,
].join("\n");

/** Sprig's `empty`: what template mode tests, so both modes agree on what "not set" means. */
const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === "" ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && Object.keys(v as object).length === 0);

/** A Go template operand for a value: a token's expression, or a literal (strings, numbers, flat maps). */
export const operand = (v: unknown, registry: TokenRegistry): string => {
  if (isCondition(v)) return boolExpr(v);
  const token = tokenOf(v);
  if (token) return token.expr;
  if (typeof v === "string") return registry.hasPlaceholder(v) ? registry.joined(v) : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `(list ${v.map((x) => operand(x, registry)).join(" ")})`.replace(" )", ")");
  if (typeof v === "object" && v !== null) {
    const parts = mapParts(v as Record<string, unknown>, registry);
    return parts.length === 1 ? (parts[0] as string) : `(mergeOverwrite ${parts.join(" ")})`;
  }
  throw new Error(`cannot use ${String(v)} in a template expression`);
};

/**
 * A static map as the maps it is made of: its own entries as a `dict`, and each named template spread into it read
 * back as one (`fromYaml`: the emitter writes typed YAML, so the values come back as they are).
 */
const mapParts = (map: Record<string, unknown>, registry: TokenRegistry): string[] => {
  const entries = Object.entries(map);
  const own = entries.filter(([, x]) => !(x instanceof IncludeMarker) && !(x instanceof EntriesMarker));
  const included = entries.flatMap(([, x]) => (x instanceof IncludeMarker ? [x] : []));
  const spread = entries.flatMap(([, x]) => (x instanceof EntriesMarker ? [`(default (dict) ${x.expr})`] : []));
  for (const m of included) registry.includedInExpressions.add(m);
  const dict = `(dict ${own.map(([k, x]) => `${JSON.stringify(k)} ${operand(x, registry)}`).join(" ")})`.replace(
    " )",
    ")",
  );
  return [
    ...(own.length > 0 || included.length + spread.length === 0 ? [dict] : []),
    ...included.map((m) => `(${unwrap(includeExpr(m.name, m.context))} | fromYaml)`),
    ...spread,
  ];
};

/** Helm values are float64 when numeric, so numeric comparisons convert both sides. */
const numericOperand = (v: unknown, registry: TokenRegistry): string => {
  const token = tokenOf(v);
  const numeric = typeof v === "number" || token?.type === "integer" || token?.type === "number";
  return numeric ? `(float64 ${operand(v, registry)})` : operand(v, registry);
};

/** A partial's arguments as the body reads them: `$.<name>`, beside the root context's own (capitalized) keys. */
const partialArgs = (partial: string, args: Record<string, string>, registry: TokenRegistry) =>
  Object.fromEntries(
    Object.keys(args).map((key) => {
      if (!/^[a-z][A-Za-z0-9]*$/.test(key)) {
        throw new Error(
          `partial ${partial}: argument ${key} must be a lowerCamelCase name (Values, Release… are Helm's)`,
        );
      }
      // A value's placeholder holds characters no plain text does: an argument made of values is never plain.
      return [key, registry.placeholder(new Token(`$.${key}`, "string", literalPlainness(String(args[key]))))];
    }),
  );

/** What a helper was given as a condition: a helper's condition, or a value whose truth is tested. */
const conditionOf = (c: Test, registry: TokenRegistry): Condition => {
  if (isCondition(c)) return c;
  if (typeof c === "boolean") return new Truth(String(c), true);
  return new Truth(operand(c, registry), tokenOf(c)?.type === "boolean");
};

/** Template mode: values are tokens, so helpers return markers the emitter turns into Helm control flow. */
export const templateHelpers = (registry: TokenRegistry, chartName: string): Helpers => {
  let depth = 0;
  const cond = (c: Condition): Cond => c as unknown as Cond;
  const comparison = (expr: string): Cond => cond(new Truth(expr, true));
  return {
    when: (c, value, otherwise) => {
      if (typeof c === "boolean") return (c ? value : (otherwise ?? OMIT)) as never;
      return new IfMarker(conditionOf(c, registry), value, otherwise ?? OMIT) as never;
    },
    each: (list, fn) => {
      const token = tokenOf(list);
      if (!token) return list.map(fn);
      depth += 1;
      const itemVar = `$item${depth}`;
      const indexVar = `$i${depth}`;
      const schema = (list as unknown as { [k: symbol]: SchemaNode })[ITEM_SCHEMA];
      const item = tokenProxy(itemVar, schema, registry);
      const index = tokenProxy(indexVar, { type: "integer" }, registry);
      const body = fn(item as never, index as never);
      depth -= 1;
      return [new RangeMarker(token.expr, itemVar, indexVar, body)] as never;
    },
    eq: (a, b) => {
      const [left, right] = [numericOperand(a, registry), numericOperand(b, registry)];
      return right.startsWith('"') ? cond(new Equals(left, right)) : comparison(`(eq ${left} ${right})`);
    },
    not: (a) => cond(not(conditionOf(a, registry))),
    and: (...c) => cond(all(c.map((x) => conditionOf(x, registry)))),
    or: (...c) => cond(anyOf(c.map((x) => conditionOf(x, registry)))),
    // Go's truth of a value is sprig's `not empty`: tested in an `if`, the value stands for itself.
    isSet: (v) => cond(new Truth(operand(v, registry), false)),
    includes: (list, element) => comparison(`(has ${operand(element, registry)} ${operand(list, registry)})`),
    pick: (c, a, b) => {
      const [whenTrue, whenFalse] = [operand(a, registry), operand(b, registry)];
      const defaulted = asDefault(conditionOf(c, registry), whenTrue, whenFalse);
      const expr = defaulted ? `(${defaulted})` : `(ternary ${whenTrue} ${whenFalse} ${operand(c, registry)})`;
      return registry.placeholder(new Token(expr, "string"));
    },
    hasPrefix: (text, prefix) => comparison(`(hasPrefix ${operand(prefix, registry)} ${operand(text, registry)})`),
    replaceMatch: (text, pattern, replacement) =>
      registry.placeholder(
        new Token(
          `(regexReplaceAllLiteral ${JSON.stringify(pattern)} ${operand(text, registry)} ${operand(replacement, registry)})`,
          "string",
        ),
      ),
    // Go's encoder sorts map keys and escapes <, > and &; concrete mode's goJson writes the same text.
    toJson: (value) => registry.placeholder(new Token(`(${operand(value, registry)} | toJson)`, "string")),
    join: (list, separator) =>
      registry.placeholder(new Token(`(join ${JSON.stringify(separator)} ${operand(list, registry)})`, "string")),
    // sprig's concat of empty lists is nil (JSON null): default it to an empty list.
    concat: (...lists) =>
      tokenProxy(
        `(default (list) (concat ${lists.map((l) => (tokenOf(l) ? `(default (list) ${operand(l, registry)})` : operand(l, registry))).join(" ")}))`,
        { type: "array", items: { type: "string" } },
        registry,
      ) as never,
    unique: (list) => {
      // sprig's uniq of nil fails: default it to an empty list, unless it already is (what concat yields).
      const expr = operand(list, registry);
      const listed = expr.startsWith("(default (list) ") ? expr : `(default (list) ${expr})`;
      return tokenProxy(`(uniq ${listed})`, { type: "array", items: { type: "string" } }, registry) as never;
    },
    shortHash: (text) =>
      registry.placeholder(new Token(`(${operand(text, registry)} | sha256sum | trunc 10)`, "string")),
    multiply: (a, b) =>
      tokenProxy(`(mul ${operand(a, registry)} ${operand(b, registry)})`, { type: "integer" }, registry) as never,
    entries: (map) => {
      const expr = operand(map, registry);
      return { [entriesKey(expr)]: new EntriesMarker(expr) } as never;
    },
    without: (map, keys) =>
      tokenProxy(
        `(omit ${operand(map, registry)} ${keys.map((k) => JSON.stringify(k)).join(" ")})`,
        { type: "object" },
        registry,
      ) as never,
    merge: (...maps) => {
      // A map chosen by a condition (`h.when(c, map, otherwise)`) merges as sprig's ternary of the two maps.
      const dictOf = (m: unknown) => {
        const parts = mapParts((m === OMIT ? {} : m) as Record<string, unknown>, registry);
        return parts.length === 1 ? parts[0] : `(mergeOverwrite (dict) ${parts.join(" ")})`;
      };
      const args = maps.flatMap((m) =>
        tokenOf(m)
          ? [`(default (dict) ${operand(m, registry)})`]
          : m instanceof IfMarker
            ? [`(ternary ${dictOf(m.value)} ${dictOf(m.otherwise)} ${boolExpr(m.condition)})`]
            : mapParts(m ?? {}, registry),
      );
      return tokenProxy(`(mergeOverwrite (dict) ${args.join(" ")})`, { type: "object" }, registry) as never;
    },
    duplicates: (list, field) => {
      registry.defines.set("llmcharts.engine.duplicates", duplicatesTemplate);
      const expr = `(include "llmcharts.engine.duplicates" (dict "list" (default (list) ${operand(list, registry)}) "field" ${JSON.stringify(field)}))`;
      return registry.placeholder(new Token(expr, "string"));
    },
    refuse: (c, message) => {
      if (typeof c === "boolean") return (c ? new Refusal(message) : OMIT) as never;
      return new IfMarker(conditionOf(c, registry), new Refusal(message)) as never;
    },
    partial: (name, fragment, why, args = {} as never) => {
      const full = `${chartName}.${name}`;
      // A named template is a scope of its own: its ranges are numbered from 1 wherever it is used.
      const outerDepth = depth;
      depth = 0;
      const value = fragment(partialArgs(full, args, registry) as never);
      depth = outerDepth;
      // The arguments join the root context, so the body reads them beside .Values, .Release and .Chart.
      const context = Object.keys(args).length > 0 ? `(merge ${operand(args, registry)} $)` : "$";
      if (isCondition(value)) {
        recordPartial(registry.partials, full, defineText(full, conditionBody(value), why));
        return new Truth(includeExpr(full, context), false) as never;
      }
      if (typeof value === "string") {
        recordPartial(registry.partials, full, defineText(full, [registry.templateText(value)], why));
        const plain = registry.plainYaml(value) !== undefined ? "whole" : "none";
        return registry.placeholder(new Token(includeExpr(full, context), "string", plain)) as never;
      }
      if (Array.isArray(value)) return [new IncludeMarker(full, value, why, context)] as never;
      if (value !== null && typeof value === "object" && !tokenOf(value)) {
        const marker = new IncludeMarker(full, value as Record<string, unknown>, why, context);
        return { [includeKey(`${full} ${context}`)]: marker } as never;
      }
      throw new Error(
        `partial ${full}: a named template holds a condition, a string, a map's entries or a list's items`,
      );
    },
    comment: (text, value) => new CommentMarker(text, value) as never,
    // Helm checks these: release names and namespaces are DNS names, chart versions semver.
    release: {
      name: registry.placeholder(new Token("$.Release.Name", "string", "part")),
      namespace: registry.placeholder(new Token("$.Release.Namespace", "string", "part")),
    },
    chart: { version: registry.placeholder(new Token("$.Chart.Version", "string", "part")) },
  };
};
