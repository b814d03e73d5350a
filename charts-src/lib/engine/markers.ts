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

/** Left out of the output: what a false `when` without `otherwise` yields. */
export const OMIT: unique symbol = Symbol("llmcharts.omit");
