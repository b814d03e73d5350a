/**
 * The emitted templates read as a person would write them: conditions written once and plainly, strings as strings,
 * scripts line by line, long actions over several lines. Each case checks the text the feature writes (without it
 * the text differs); Helm proves the probe still renders what concrete mode does.
 */
import { describe, expect, it } from "vitest";
import { brokenLine } from "../../charts-src/lib/engine/go-expr.js";
import { renderTemplates } from "../../charts-src/lib/engine/index.js";
import { probeChart, rendersAsConcreteMode } from "./probe-chart.js";

const probe = probeChart((v, h) => [
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "probe", namespace: `tenant-${v.name}`, annotations: { note: `note: ${v.note}` } },
    data: {
      twiceNegated: h.when(h.not(h.not(v.enabled)), "on"),
      unset: h.when(h.not(h.isSet(v.secret)), "no secret"),
      first: h.when(v.enabled, "1"),
      second: h.when(v.enabled, "2"),
      nested: h.when(v.enabled, h.when(h.and(v.enabled, v.meshed), "meshed")),
      secretName: h.when(h.isSet(v.secret), v.secret, "generated"),
      poolKind: h.when(h.or(h.eq(v.pool, "a"), h.eq(v.pool, "b")), "ab", "other"),
      tierUrl: h.when(h.eq(v.tier, "both"), "both", h.when(h.eq(v.tier, "standard"), "cpu", "gpu")),
      script: "#!/bin/sh\nset -eu\necho ready\n",
      config: `listen: ${v.port}\nname: ${v.name}\n`,
    },
  },
]);

const text = renderTemplates(probe)["probe.yaml"] as string;

describe("conditions as a person writes them", () => {
  it("not (not X) is X", () => {
    expect(text).toContain('{{- if $.Values.enabled }}\n  twiceNegated: "on"');
    expect(text).not.toContain("not (not");
  });

  it("an unset value is `not X`, a set one `X`, never `not (empty X)`", () => {
    expect(text).toContain('{{- if not $.Values.secret }}\n  unset: "no secret"');
    expect(text).not.toContain("empty");
  });

  it("adjacent members under one condition share one if, and a guard the enclosing one decides is left out", () => {
    expect(text).toContain(
      '{{- if $.Values.enabled }}\n  first: "1"\n  second: "2"\n  {{- if $.Values.meshed }}\n  nested: meshed\n  {{- end }}\n  {{- end }}',
    );
  });

  it("X where set, else a default, is `X | default`", () => {
    expect(text).toContain('secretName: {{ $.Values.secret | default "generated" | toJson }}');
  });

  it("or of comparisons with literals is has, and a choice among several is else if", () => {
    expect(text).toContain('{{- if has $.Values.pool (list "a" "b") }}');
    expect(text).toContain(
      '{{- if eq $.Values.tier "both" }}\n  tierUrl: both\n  {{- else if eq $.Values.tier "standard" }}',
    );
  });
});

describe("strings, scripts and long actions", () => {
  it("a string is written as a string where YAML reads it back whatever the values, through printf otherwise", () => {
    expect(text).toContain("namespace: tenant-{{ $.Values.name }}");
    expect(text).toContain('note: {{ printf "note: %s" $.Values.note | toJson }}');
  });

  it("a script is a block scalar, read line by line, values in it where they cannot break it", () => {
    expect(text).toContain("  script: |\n    #!/bin/sh\n    set -eu\n    echo ready\n");
    expect(text).toContain("  config: |\n    listen: {{ $.Values.port | int64 }}\n    name: {{ $.Values.name }}\n");
  });

  it("a long action is broken one operand per line, a dict's key and value together", () => {
    const pairs = Array.from({ length: 8 }, (_, i) => `"example.com/key-${i}" $.Values.name`).join(" ");
    const broken = brokenLine(`  labels: {{ mergeOverwrite (dict) (dict ${pairs}) | toJson }}`);
    expect(broken[0]).toBe("  labels: {{ mergeOverwrite");
    expect(broken).toContain('        "example.com/key-0" $.Values.name');
    expect(broken.at(-1)).toBe("      | toJson }}");
    expect(broken.every((l) => l.length <= 160)).toBe(true);
  });

  it("a long pipe stage is broken after its pipe and function, its arguments under them", () => {
    const parts = Array.from({ length: 6 }, (_, i) => `(ternary ",secret-${i}" "" $.Values.feature${i}.enabled)`);
    const broken = brokenLine(
      `    reload: {{ $.Values.existing | default (printf "key%s%s%s%s%s%s" ${parts.join(" ")}) | toJson }}`,
    );
    expect(broken.slice(0, 3)).toEqual([
      "    reload: {{ $.Values.existing",
      "        | default (printf",
      '            "key%s%s%s%s%s%s"',
    ]);
    expect(broken).toContain('            (ternary ",secret-0" "" $.Values.feature0.enabled)');
    expect(broken.at(-1)).toBe("        | toJson }}");
    expect(broken.every((l) => l.length <= 160)).toBe(true);
  });
});

rendersAsConcreteMode(probe);
