/**
 * Control flow that depends on values, as data: the template emitter turns these into `{{- if }}` and
 * `{{- range }}`; in concrete mode they never appear (the helpers decide at once).
 */

import type { Condition } from "./conditions.js";

/** `value` where `condition` holds, else `otherwise` (or nothing: the key, list item or resource is left out). */
export class IfMarker {
  constructor(
    readonly condition: Condition,
    readonly value: unknown,
    readonly otherwise: unknown = OMIT,
  ) {}
}

/** One element standing for every element of a list value: `{{- range $i, $item := list }}`. */
export class RangeMarker {
  constructor(
    readonly listExpr: string,
    readonly itemVar: string,
    readonly indexVar: string,
    readonly body: unknown,
  ) {}
}

/**
 * The chart refuses the values, for a reason no schema rule can state (two fields that must differ, names that
 * must be unique in a list): Helm's `fail` with `message` in template mode, a `ValuesRefused` error in concrete mode.
 */
export class Refusal {
  constructor(readonly message: string) {}
}

/** Concrete mode's answer to values a chart refuses: the message Helm's `fail` prints. */
export class ValuesRefused extends Error {}

/**
 * A why-comment for the reader of the template, written as a template comment above `value` (or alone, where the
 * point is what is left out); concrete mode sees only `value`.
 */
export class CommentMarker {
  constructor(
    readonly text: string,
    readonly value: unknown,
  ) {}
}

/**
 * A fragment written once, as a named template (`define`) in the chart's `_helpers.tpl`, and wherever it is used as
 * `include "<name>" $`: a map's entries (spread into the map under `includeKey(name)`) or a list's items.
 */
export class IncludeMarker {
  constructor(
    readonly name: string,
    readonly fragment: Record<string, unknown> | readonly unknown[],
    readonly why: string | undefined,
    /** What the template is given: the root context `$`, or it merged with the partial's arguments. */
    readonly context: string,
  ) {}
}

/**
 * The key under which a map holds a named template's entries: unlike a symbol key, `Object.entries` lists it, so
 * the emitter finds it where the chart spread it.
 */
export const includeKey = (name: string): string => `\u27e6include:${name}\u27e7`;

/**
 * A map value's entries spread into a static map beside the chart's own keys (an operator's extra labels): written as
 * the value's YAML where it is set. The values' schema keeps its keys apart from the static ones.
 */
export class EntriesMarker {
  constructor(readonly expr: string) {}
}

/** The key under which a map holds a map value's entries (see `includeKey`). */
export const entriesKey = (expr: string): string => `\u27e6entries:${expr}\u27e7`;

/** Left out of the output: what a false `when` without `otherwise` yields. */
export const OMIT: unique symbol = Symbol("llmcharts.omit");
