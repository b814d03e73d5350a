import fc from "fast-check";
import type { JsonSchema } from "../../charts-src/lib/engine/index.js";

/**
 * Random values a user could write for a chart, drawn from its values schema: every enum, range, pattern and list
 * bound respected; optional keys sometimes left out (the chart's defaults then apply). Cross-field rules are not
 * modelled here: callers keep only the draws the full schema accepts.
 */
export const valuesArbitrary = (schema: JsonSchema): fc.Arbitrary<unknown> => node(schema, true);

const node = (s: JsonSchema, top = false): fc.Arbitrary<unknown> => {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: (s.minimum as number) ?? -1000, max: (s.maximum as number) ?? 1_000_000 });
    case "number":
      return fc.double({ min: (s.minimum as number) ?? -1000, max: (s.maximum as number) ?? 1000, noNaN: true });
    case "string":
      return stringOf(s);
    case "array": {
      const items = node(s.items ?? {});
      const constraints = {
        minLength: (s.minItems as number) ?? 0,
        maxLength: Math.min((s.maxItems as number) ?? 3, 3),
      };
      return s.uniqueItems
        ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) })
        : fc.array(items, constraints);
    }
    case "object":
      return objectOf(s, top);
    default:
      return fc.constant({});
  }
};

const stringOf = (s: JsonSchema): fc.Arbitrary<string> => {
  const max = (s.maxLength as number) ?? 40;
  const min = (s.minLength as number) ?? 0;
  const base = s.pattern
    ? fc.stringMatching(new RegExp(s.pattern as string))
    : fc.string({ minLength: min, maxLength: Math.min(max, 20) });
  return base.filter((x) => x.length >= min && x.length <= max);
};

const objectOf = (s: JsonSchema, top: boolean): fc.Arbitrary<unknown> => {
  if (s.properties) {
    const required = new Set(s.required ?? []);
    // An undeclared `global` (any object) has no shape to draw from.
    const entries = Object.entries(s.properties).filter(([k, child]) => k !== "global" || child.properties);
    const model = Object.fromEntries(entries.map(([k, child]) => [k, node(child)]));
    // Values files leave most keys out; the chart's defaults fill them, which is the path Helm takes too.
    const keys = entries
      .map(([k]) => k)
      .filter((k) => required.has(k) && !top && s.properties?.[k]?.default === undefined);
    const record = fc.record(model, { requiredKeys: keys, noNullPrototype: true });
    // "Exactly one of these keys" (oneOf of required lists): keep the draw's first present alternative only.
    const alternatives = ((s.oneOf ?? []) as JsonSchema[]).map((o) => (o.required ?? []) as string[]);
    if (alternatives.length === 0 || alternatives.some((a) => a.length !== 1)) return record;
    const only = alternatives.map((a) => a[0] as string);
    return fc.tuple(record, fc.constantFrom(...only)).map(([r, chosen]) => {
      const out = { ...(r as Record<string, unknown>) };
      for (const k of only) if (k !== chosen) delete out[k];
      if (out[chosen] === undefined)
        out[chosen] = fc.sample(model[chosen] as fc.Arbitrary<unknown>, { numRuns: 1, seed: 1 })[0];
      return out;
    });
  }
  // A map's keys and values: from propertyNames/additionalProperties, or from its patternProperties entry (keys a
  // `false` entry forbids are left out).
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, JsonSchema | boolean>);
  const forbidden = patterns.filter(([, v]) => v === false).map(([p]) => new RegExp(p));
  const [patternKey, patternValue] = (patterns.find(([, v]) => v !== false) ?? []) as [string?, JsonSchema?];
  const value =
    typeof s.additionalProperties === "object"
      ? node(s.additionalProperties)
      : patternValue
        ? node(patternValue)
        : fc.string({ maxLength: 8 });
  const names = (s.propertyNames as JsonSchema | undefined) ?? (patternKey ? { pattern: patternKey } : undefined);
  const key = (
    names?.pattern
      ? stringOf({ type: "string", pattern: names.pattern as string, maxLength: 30 })
      : fc.string({ minLength: 1, maxLength: 12 })
  ).filter((k) => !forbidden.some((f) => f.test(k)));
  // Plain objects, as YAML parses them: ajv's deep equality cannot compare null-prototype ones.
  return fc.dictionary(key, value, { maxKeys: 3, noNullPrototype: true });
};

/** The JSON pointers a checker's message names: where it failed (`at '/a/b'`), and what it failed because of. */
const pointersIn = (message: string): string[] => {
  const at = /^at '([^']*)'/.exec(message)?.[1];
  const because = [...message.matchAll(/because ((?:\/[^\s/]+)+)/g)].map((m) => m[1] as string);
  return [...(at ? [at] : []), ...because];
};

/**
 * Takes the value at `pointer` out of `draw` or, with `climb`, the nearest ancestor of it the draw holds; whether
 * anything went.
 */
const removeAt = (draw: unknown, pointer: string, climb: boolean): boolean => {
  const path = pointer
    .split("/")
    .slice(1)
    .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
  for (let depth = path.length; depth > (climb ? 0 : path.length - 1); depth--) {
    let parent = draw as Record<string, unknown> | unknown[] | undefined;
    for (const key of path.slice(0, depth - 1)) parent = (parent as Record<string, unknown>)?.[key] as typeof parent;
    const key = path[depth - 1] as string;
    if (Array.isArray(parent) && Number(key) < parent.length) {
      parent.splice(Number(key), 1);
      return true;
    }
    if (parent && typeof parent === "object" && key in parent) {
      delete (parent as Record<string, unknown>)[key];
      return true;
    }
  }
  return false;
};

/**
 * A draw mended until `check` (of the draw as the chart sees it, `complete(draw)`) finds nothing: each value a message
 * names is taken out (or, when the draw holds none of them, the nearest parts holding them), so that the chart's
 * default (or the operator's value) applies there instead. Random draws meet the schema's rules across fields too rarely to be filtered (one in
 * a hundred of the tenant chart's); mended, every draw counts, and keeps whatever it did not have to give up.
 * Undefined when a message names nothing the draw holds (the defaults themselves refused).
 */
export const mendDraw = (
  draw: unknown,
  check: (values: unknown) => string[],
  complete: (draw: unknown) => unknown,
): unknown => {
  const mended = structuredClone(draw);
  for (;;) {
    const errors = check(complete(mended));
    if (errors.length === 0) return complete(mended);
    const pointers = errors.flatMap(pointersIn);
    if (pointers.filter((p) => removeAt(mended, p, false)).length > 0) continue;
    if (pointers.filter((p) => removeAt(mended, p, true)).length === 0) return undefined;
  }
};
