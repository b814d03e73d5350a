import { unwrap } from "./go-expr.js";

/**
 * Conditions as a tree rather than text, so that the emitter writes them as a person would: no double negation,
 * `if X` rather than `if (not (empty X))`, and no guard that an enclosing guard already decides.
 *
 * Go's truth of a value (false, 0, "", nil, an empty list or map) is exactly sprig's `empty`, so "X is set" and
 * "X is true" are one fact about X; only where a real boolean is needed (sprig's `ternary`) is it spelt out.
 */

/** The truth of one Go template expression: a comparison, a value, an `include`. */
export class Truth {
  constructor(
    readonly expr: string,
    /** True when the expression yields a boolean (a comparison, a boolean value), not merely a truthy value. */
    readonly isBool: boolean,
  ) {}
}

/** A value compared with a literal (`eq X "a"`): several of them, `or`ed, read better as `has X (list "a" "b")`. */
export class Equals extends Truth {
  constructor(
    readonly left: string,
    readonly literal: string,
  ) {
    super(`(eq ${left} ${literal})`, true);
  }
}

export class Not {
  constructor(readonly arg: Condition) {}
}

export class All {
  constructor(readonly args: readonly Condition[]) {}
}

export class AnyOf {
  constructor(readonly args: readonly Condition[]) {}
}

export type Condition = Truth | Not | All | AnyOf;

export const isCondition = (v: unknown): v is Condition =>
  v instanceof Truth || v instanceof Not || v instanceof All || v instanceof AnyOf;

/** `not (not X)` is X wherever a condition is tested. */
export const not = (c: Condition): Condition => (c instanceof Not ? c.arg : new Not(c));

/** Nested `and`s are one `and`; an `and` of one condition is that condition. */
export const all = (args: readonly Condition[]): Condition => {
  const flat = args.flatMap((a) => (a instanceof All ? a.args : [a]));
  return flat.length === 1 ? (flat[0] as Condition) : new All(flat);
};

export const anyOf = (args: readonly Condition[]): Condition => {
  const flat = oneOfLiterals(args.flatMap((a) => (a instanceof AnyOf ? a.args : [a])));
  return flat.length === 1 ? (flat[0] as Condition) : new AnyOf(flat);
};

/** `or (eq X "a") (eq X "b")` as `has X (list "a" "b")`, where the first of them stood (comparisons have no effects). */
const oneOfLiterals = (args: readonly Condition[]): Condition[] =>
  args.flatMap((a) => {
    if (!(a instanceof Equals)) return [a];
    const same = args.filter((b): b is Equals => b instanceof Equals && b.left === a.left);
    if (same.length < 2) return [a];
    if (same[0] !== a) return [];
    return [new Truth(`(has ${a.left} (list ${same.map((b) => b.literal).join(" ")}))`, true)];
  });

/**
 * The condition as the test of an `if` (truth is enough); `top` leaves out the outer parentheses, as in
 * `{{- if eq $.Values.tier "both" }}`.
 */
export const testExpr = (c: Condition, top = false): string => {
  const expr =
    c instanceof Truth
      ? c.expr
      : c instanceof Not
        ? `(not ${testExpr(c.arg)})`
        : `(${c instanceof All ? "and" : "or"} ${c.args.map((a) => testExpr(a)).join(" ")})`;
  return top ? unwrap(expr) : expr;
};

/** The condition as a real boolean, for functions that demand one (sprig's `ternary`). */
export const boolExpr = (c: Condition): string => {
  if (c instanceof Truth) return c.isBool ? c.expr : `(not (empty ${c.expr}))`;
  if (c instanceof Not) return `(not ${testExpr(c.arg)})`;
  return `(${c instanceof All ? "and" : "or"} ${c.args.map(boolExpr).join(" ")})`;
};

/** What is known to hold (or not) where a template line is: the guards around it. */
export class Facts {
  static readonly none = new Facts(new Map());

  private constructor(private readonly known: ReadonlyMap<string, boolean>) {}

  /** These facts, and that `c` is `holds` (inside `if c`, or its `else`). */
  with(c: Condition, holds: boolean): Facts {
    const known = new Map(this.known);
    const learn = (x: Condition, value: boolean): void => {
      if (x instanceof Truth) known.set(x.expr, value);
      else if (x instanceof Not) learn(x.arg, !value);
      // Inside `if and A B` both hold; inside the `else` of `or A B` neither does.
      else if (x instanceof All && value) for (const a of x.args) learn(a, true);
      else if (x instanceof AnyOf && !value) for (const a of x.args) learn(a, false);
    };
    learn(c, holds);
    return new Facts(known);
  }

  /** True or false when these facts decide `c`; undefined when they do not. */
  decide(c: Condition): boolean | undefined {
    if (c instanceof Truth) return this.known.get(c.expr);
    if (c instanceof Not) {
      const arg = this.decide(c.arg);
      return arg === undefined ? undefined : !arg;
    }
    const decided = c.args.map((a) => this.decide(a));
    // One false part decides an `and`, one true part an `or`.
    const absorbing = c instanceof AnyOf;
    if (decided.includes(absorbing)) return absorbing;
    return decided.every((d) => d === !absorbing) ? !absorbing : undefined;
  }

  /** `c` without the parts these facts decide (for an undecided `c`): inside `if A`, `and A B` is B. */
  reduce(c: Condition): Condition {
    if (c instanceof Not) return not(this.reduce(c.arg));
    if (c instanceof All) return all(c.args.filter((a) => this.decide(a) !== true).map((a) => this.reduce(a)));
    if (c instanceof AnyOf) return anyOf(c.args.filter((a) => this.decide(a) !== false).map((a) => this.reduce(a)));
    return c;
  }
}

/**
 * "X where X is set, else D" as a person writes it, `X | default D` (sprig's `default` tests what `if` tests), given
 * the operands of both choices; undefined when the condition is not the truth of the value chosen when it holds.
 */
export const asDefault = (c: Condition, whenTrue: string, whenFalse: string): string | undefined => {
  if (c instanceof Truth && c.expr === whenTrue) return `${whenTrue} | default ${whenFalse}`;
  if (c instanceof Not && c.arg instanceof Truth && c.arg.expr === whenFalse)
    return `${whenFalse} | default ${whenTrue}`;
  return undefined;
};

/** The condition a group of adjacent guards shares: the first part of an `and`, or the whole condition. */
export const leadingPart = (c: Condition): Condition => (c instanceof All ? (c.args[0] as Condition) : c);
