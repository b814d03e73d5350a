import { anyOf, asDefault, type Condition, Facts, leadingPart, Truth, testExpr } from "./conditions.js";
import { brokenLine, unwrap } from "./go-expr.js";
import { CommentMarker, EntriesMarker, IfMarker, IncludeMarker, OMIT, RangeMarker, Refusal } from "./markers.js";
import { commentLines, defineText, includeExpr, recordPartial } from "./partials.js";
import { Token, type TokenRegistry, tokenOf } from "./tokens.js";
import { blockScalar, plainScalar, yamlKey } from "./yaml-scalars.js";

/**
 * Writes resources holding tokens and markers as a Helm template: plain data as YAML, every value reference as
 * `{{ … | toJson }}` (JSON is valid YAML, so strings, numbers, booleans, maps and lists all come out typed and
 * escaped), markers as `{{- if }}` / `{{- range }}` around the key, list item or document they govern.
 *
 * Written for the operator who reads it: adjacent members under the same condition share one `if`, a guard that
 * the enclosing guards already decide is left out, shared fragments are `include`d by name, and multi-line text is
 * a block scalar.
 */
export class TemplateEmitter {
  constructor(private readonly registry: TokenRegistry) {}

  /** One template file: every document, each after `---`. */
  documents(docs: readonly unknown[]): string {
    return `${this.docLines(docs, Facts.none).flatMap(brokenLine).join("\n")}\n`;
  }

  private docLines(doc: unknown, facts: Facts): string[] {
    if (doc === OMIT || doc === undefined) return [];
    if (Array.isArray(doc)) return this.members(doc, "", facts, (d, f) => this.docLines(d, f));
    if (doc instanceof CommentMarker) return commented(doc, "", this.docLines(doc.value, facts));
    if (doc instanceof IfMarker) return this.guarded(doc, "", facts, (v, f) => this.docLines(v, f));
    if (doc instanceof RangeMarker) return this.ranged(doc, "", facts, (v, f) => this.docLines(v, f));
    if (doc instanceof Refusal) return [`{{- fail ${this.registry.joined(doc.message)} }}`];
    if (isPlainObject(doc)) return ["---", ...this.mapBlock(doc, "", facts)];
    throw new Error(`a chart template must yield resources, got ${String(doc)}`);
  }

  /**
   * Members one after the other (documents, map entries, list items); adjacent ones guarded by the same condition,
   * or by `and` of it and more, share one `if` of it.
   */
  private members<T>(
    items: readonly T[],
    ind: string,
    facts: Facts,
    lines: (item: T, facts: Facts) => string[],
    guardedValue: (item: T) => unknown = (item) => item,
  ): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < items.length) {
      const lead = this.openGuard(guardedValue(items[i] as T), facts);
      let end = i + 1;
      while (lead && end < items.length && sameCondition(this.openGuard(guardedValue(items[end] as T), facts), lead))
        end++;
      if (!lead || end - i < 2) {
        out.push(...lines(items[i] as T, facts));
        i++;
        continue;
      }
      const group = items.slice(i, end);
      const otherwise = group.flatMap((item) => lines(item, facts.with(lead, false)));
      out.push(
        `${ind}{{- if ${testExpr(lead, true)} }}`,
        ...group.flatMap((item) => lines(item, facts.with(lead, true))),
      );
      if (otherwise.length > 0) out.push(`${ind}{{- else }}`, ...otherwise);
      out.push(`${ind}{{- end }}`);
      i = end;
    }
    return out;
  }

  /** The leading part of the condition guarding a member, where the facts leave it open; what neighbours may share. */
  private openGuard(v: unknown, facts: Facts): Condition | undefined {
    const inner = v instanceof CommentMarker ? v.value : v;
    if (!(inner instanceof IfMarker) || facts.decide(inner.condition) !== undefined) return undefined;
    return leadingPart(facts.reduce(inner.condition));
  }

  /**
   * `{{- if }}` around a member, `{{- else if }}` for each choice its `otherwise` holds; a condition the enclosing
   * guards decide is no `if` at all.
   */
  private guarded(m: IfMarker, ind: string, facts: Facts, lines: (v: unknown, f: Facts) => string[]): string[] {
    const decided = facts.decide(m.condition);
    if (decided !== undefined) return decided ? lines(m.value, facts) : lines(m.otherwise, facts);
    const c = facts.reduce(m.condition);
    const out = [`${ind}{{- if ${testExpr(c, true)} }}`, ...lines(m.value, facts.with(c, true))];
    let rest = facts.with(c, false);
    let otherwise = m.otherwise;
    while (otherwise instanceof IfMarker) {
      const next = rest.decide(otherwise.condition);
      if (next !== undefined) {
        otherwise = next ? otherwise.value : otherwise.otherwise;
        continue;
      }
      const elseIf = rest.reduce(otherwise.condition);
      out.push(`${ind}{{- else if ${testExpr(elseIf, true)} }}`, ...lines(otherwise.value, rest.with(elseIf, true)));
      rest = rest.with(elseIf, false);
      otherwise = otherwise.otherwise;
    }
    if (otherwise !== OMIT && otherwise !== undefined) out.push(`${ind}{{- else }}`, ...lines(otherwise, rest));
    return [...out, `${ind}{{- end }}`];
  }

  /** A choice between a value and a scalar where the value is set, on one line: `{{ X | default "d" | toJson }}`. */
  private defaulted(m: IfMarker, facts: Facts): string | undefined {
    if (facts.decide(m.condition) !== undefined) return undefined;
    const [whenTrue, whenFalse] = [this.scalarOperand(m.value), this.scalarOperand(m.otherwise)];
    if (whenTrue === undefined || whenFalse === undefined) return undefined;
    const expr = asDefault(facts.reduce(m.condition), whenTrue, whenFalse);
    return expr === undefined ? undefined : `{{ ${expr} | toJson }}`;
  }

  /** A value or a literal scalar as a Go template operand; undefined for anything else. */
  private scalarOperand(v: unknown): string | undefined {
    const token = tokenOf(v);
    if (token) return token.expr;
    if (typeof v === "string" && !this.registry.hasPlaceholder(v)) return JSON.stringify(v);
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return undefined;
  }

  /** Inside the range its list is known not to be empty. */
  private ranged(m: RangeMarker, ind: string, facts: Facts, lines: (v: unknown, f: Facts) => string[]): string[] {
    const inside = facts.with(new Truth(m.listExpr, false), true);
    return [
      `${ind}{{- range ${m.indexVar}, ${m.itemVar} := ${m.listExpr} }}`,
      ...lines(m.body, inside),
      `${ind}{{- end }}`,
    ];
  }

  /** A named template's use; its `define` is recorded for `_helpers.tpl`. */
  private include(m: IncludeMarker, ind: string): string {
    this.define(m);
    const use = `include ${JSON.stringify(m.name)} ${m.context}`;
    // At the left margin (a named template's body) the text goes in as it is.
    return ind === "" ? `{{ ${use} }}` : `${ind}{{- ${use} | nindent ${ind.length} }}`;
  }

  /** Records the `define` of a named map or list, for `_helpers.tpl`. */
  define(m: IncludeMarker): void {
    // No `{}` or `[]` for an empty body: where it is used, the block it is part of decides that.
    const body = Array.isArray(m.fragment)
      ? this.listLines(m.fragment, "", Facts.none)
      : this.mapLines(m.fragment as Record<string, unknown>, "", Facts.none);
    recordPartial(this.registry.partials, m.name, defineText(m.name, body, m.why));
  }

  /** A scalar, token or empty collection on one line; undefined when the value needs a block. */
  private inline(v: unknown): string | undefined {
    const token = tokenOf(v);
    if (token) return `{{ ${unwrap(token.expr)} | toJson }}`;
    if (v === null) return "null";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v === "string") return this.inlineString(v);
    if (Array.isArray(v) && v.length === 0) return "[]";
    if (isPlainObject(v) && Object.keys(v).length === 0) return "{}";
    return undefined;
  }

  private inlineString(s: string): string {
    if (this.registry.hasPlaceholder(s)) {
      const plain = this.registry.plainYaml(s);
      if (plain !== undefined) return plain;
      const parts = this.registry.split(s);
      // A string that is exactly one value keeps that value's type, as in concrete mode.
      const single = parts.length === 1 && parts[0] instanceof Token;
      const joined = unwrap(this.registry.joined(s));
      // In TypeScript, `${value}` is always a string: a lone number must become one in the template too.
      const only = single && (parts[0] as Token).type !== "string" ? `${joined} | toString` : joined;
      return `{{ ${only} | toJson }}`;
    }
    // Literal braces would be read by Helm as template actions: pass them through a string literal.
    if (s.includes("{{") || s.includes("}}")) return `{{ ${JSON.stringify(s)} | toJson }}`;
    return plainScalar(s) ? s : JSON.stringify(s);
  }

  /** A list that is a list value item for item (`each(list, (x) => x)`): the value itself, on one line. */
  private wholeList(v: unknown): string | undefined {
    const [only, ...more] = Array.isArray(v) ? v : [];
    if (!(only instanceof RangeMarker) || more.length > 0 || tokenOf(only.body)?.expr !== only.itemVar)
      return undefined;
    // An absent list is an empty one, as in concrete mode.
    return `{{ ${unwrap(only.listExpr)} | default (list) | toJson }}`;
  }

  /** A multi-line literal (a script) as a block scalar under `head` (`key:` or `-`), read line by line. */
  private blockLines(head: string, v: unknown, ind: string): string[] | undefined {
    const block = typeof v === "string" ? this.blockText(v) : undefined;
    if (!block) return undefined;
    return [`${head} ${block.indicator}`, ...block.lines.map((l) => (l ? `${ind}  ${l}` : ""))];
  }

  /**
   * Multi-line text as a block scalar; values inside it as `{{ value }}` where they cannot break the block (no
   * newline, no leading space: plain text or integers) whatever they are: empty or not, the block reads the same.
   */
  private blockText(s: string): { indicator: string; lines: string[] } | undefined {
    if (!this.registry.hasPlaceholder(s)) return blockScalar(s);
    const parts = this.registry.split(s);
    if (parts.some((p) => p instanceof Token && p.type !== "integer" && p.plain === "none")) return undefined;
    const filled = (value: string) => parts.map((p) => (p instanceof Token ? value : p)).join("");
    const [empty, full] = [blockScalar(filled("")), blockScalar(filled("x"))];
    if (!empty || !full || empty.indicator !== full.indicator) return undefined;
    return blockScalar(this.registry.interpolated(s), { allowActions: true });
  }

  private entryLines(key: string, v: unknown, ind: string, facts: Facts): string[] {
    if (v === OMIT || v === undefined) return [];
    if (v instanceof IncludeMarker) return [this.include(v, ind)];
    if (v instanceof EntriesMarker)
      return [
        `${ind}{{- with ${unwrap(v.expr)} }}`,
        `${ind}{{- toYaml . | nindent ${ind.length} }}`,
        `${ind}{{- end }}`,
      ];
    if (v instanceof CommentMarker) return commented(v, ind, this.entryLines(key, v.value, ind, facts));
    const k = yamlKey(key);
    if (v instanceof IfMarker) {
      const defaulted = this.defaulted(v, facts);
      if (defaulted) return [`${ind}${k}: ${defaulted}`];
      return this.guarded(v, ind, facts, (x, f) => this.entryLines(key, x, ind, f));
    }
    const block = this.blockLines(`${ind}${k}:`, v, ind);
    if (block) return block;
    const one = this.inline(v) ?? this.wholeList(v);
    if (one !== undefined) return [`${ind}${k}: ${one}`];
    if (Array.isArray(v)) return [`${ind}${k}:`, ...this.listBlock(v, `${ind}  `, facts)];
    if (isPlainObject(v)) return [`${ind}${k}:`, ...this.mapBlock(v, `${ind}  `, facts)];
    throw new Error(`cannot emit ${key}: ${String(v)}`);
  }

  private mapBlock(obj: Record<string, unknown>, ind: string, facts: Facts): string[] {
    return this.orEmpty(Object.values(obj), this.mapLines(obj, ind, facts), ind, "{}", facts);
  }

  private mapLines(obj: Record<string, unknown>, ind: string, facts: Facts): string[] {
    const entries = Object.entries(obj).filter(([, v]) => v !== OMIT && v !== undefined);
    refuseKeysIncludedTwice(entries);
    return this.members(
      entries,
      ind,
      facts,
      ([k, v], f) => this.entryLines(k, v, ind, f),
      ([, v]) => v,
    );
  }

  private listBlock(items: readonly unknown[], ind: string, facts: Facts): string[] {
    return this.orEmpty(items, this.listLines(items, ind, facts), ind, "[]", facts);
  }

  private listLines(items: readonly unknown[], ind: string, facts: Facts): string[] {
    const kept = items.filter((v) => v !== OMIT && v !== undefined);
    return this.members(kept, ind, facts, (item, f) => this.itemLines(item, ind, f));
  }

  /**
   * A block whose every member is conditional may render empty, which YAML reads as null; guard it so that it
   * renders `{}` or `[]` instead, as concrete mode does (unless the enclosing guards say a member is there).
   */
  private orEmpty(members: readonly unknown[], lines: string[], ind: string, empty: string, facts: Facts): string[] {
    const shown = members.filter(
      (m) => m !== OMIT && m !== undefined && !(m instanceof CommentMarker && m.value === undefined),
    );
    if (rendersSomething(shown)) return lines;
    const guards = shown.map(guardOf).filter((g): g is Condition => g !== undefined);
    if (guards.some((g) => facts.decide(g) === true)) return lines;
    const open = guards.filter((g) => facts.decide(g) === undefined);
    if (open.length === 0) return [`${ind}{{- /* nothing here for these values */}} ${empty}`];
    // Inside `if has X (list "a" "b")`, one of the members guarded by `eq X "a"`, `eq X "b"` is there.
    if (facts.decide(anyOf(open)) === true) return lines;
    return [
      `${ind}{{- if ${testExpr(anyOf(open), true)} }}`,
      ...lines,
      `${ind}{{- else }} ${empty}`,
      `${ind}{{- end }}`,
    ];
  }

  private itemLines(item: unknown, ind: string, facts: Facts): string[] {
    if (item === OMIT || item === undefined) return [];
    if (item instanceof IncludeMarker) return [this.include(item, ind)];
    if (item instanceof CommentMarker) return commented(item, ind, this.itemLines(item.value, ind, facts));
    if (item instanceof IfMarker) {
      const defaulted = this.defaulted(item, facts);
      if (defaulted) return [`${ind}- ${defaulted}`];
      return this.guarded(item, ind, facts, (x, f) => this.itemLines(x, ind, f));
    }
    if (item instanceof RangeMarker) return this.ranged(item, ind, facts, (x, f) => this.itemLines(x, ind, f));
    const block = this.blockLines(`${ind}-`, item, ind);
    if (block) return block;
    const one = this.inline(item);
    if (one !== undefined) return [`${ind}- ${one}`];
    const inner = Array.isArray(item)
      ? this.listBlock(item, `${ind}  `, facts)
      : this.mapBlock(item as Record<string, unknown>, `${ind}  `, facts);
    const first = inner[0] ?? "";
    if (!first.trimStart().startsWith("{{")) return [`${ind}- ${first.trimStart()}`, ...inner.slice(1)];
    return [`${ind}-`, ...inner];
  }
}

/**
 * The condition under which a member renders, when it may not: a guard without `otherwise`, a range's list, or a
 * named template that may render nothing (Helm's truth of its text).
 */
const guardOf = (m: unknown): Condition | undefined => {
  const inner = m instanceof CommentMarker ? m.value : m;
  if (inner instanceof IfMarker && inner.otherwise === OMIT) return inner.condition;
  if (inner instanceof RangeMarker) return new Truth(inner.listExpr, false);
  if (inner instanceof EntriesMarker) return new Truth(inner.expr, false);
  if (inner instanceof IncludeMarker) {
    const members = Array.isArray(inner.fragment) ? inner.fragment : Object.values(inner.fragment);
    return rendersSomething(members) ? undefined : new Truth(includeExpr(inner.name, inner.context), false);
  }
  return undefined;
};

/** A member's lines under its why-comment; a comment on what the guards leave out goes with it. */
const commented = (m: CommentMarker, ind: string, lines: string[]): string[] =>
  lines.length > 0 || m.value === undefined ? [...commentLines(m.text, ind), ...lines] : [];

/** True when some member renders whatever the values: an unguarded one, or a guard with an `otherwise`. */
const rendersSomething = (members: readonly unknown[]): boolean =>
  members.some(
    (m) => m !== OMIT && m !== undefined && !(m instanceof CommentMarker && m.value === undefined) && !guardOf(m),
  );

const sameCondition = (a: Condition | undefined, b: Condition): boolean =>
  a !== undefined && testExpr(a) === testExpr(b);

/**
 * A key both in an included named template and beside it would be written twice (YAML keeps one of them, not
 * necessarily the one concrete mode keeps): refuse it when the chart is generated.
 */
const refuseKeysIncludedTwice = (entries: [string, unknown][]): void => {
  const keys = (map: Record<string, unknown>): string[] =>
    Object.entries(map).flatMap(([k, v]) =>
      v instanceof IncludeMarker && !Array.isArray(v.fragment) ? keys(v.fragment as Record<string, unknown>) : [k],
    );
  const all = keys(Object.fromEntries(entries));
  const twice = all.filter((k, i) => all.indexOf(k) !== i);
  if (twice.length > 0)
    throw new Error(`${twice.join(", ")} both in a partial and beside it (or in two partials) of one map`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !tokenOf(v) &&
  !(v instanceof IfMarker) &&
  !(v instanceof RangeMarker) &&
  !(v instanceof Refusal) &&
  !(v instanceof CommentMarker) &&
  !(v instanceof IncludeMarker) &&
  !(v instanceof EntriesMarker);
