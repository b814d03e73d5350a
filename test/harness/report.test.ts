/** A suite's summary line: checks, failed scenarios, time, and what still stands in for a controller or a service. */
import { describe, expect, it } from "vitest";
import { Recorder } from "../../src/harness/recorder.js";
import { summary } from "../../src/harness/report.js";

const scenario = (id: string, ok: boolean, standIns: string[]) => {
  const r = new Recorder(id, `scenario ${id}`);
  r.check("a check", ok);
  for (const what of standIns) r.standIn(what);
  return r.result();
};

describe("the summary line", () => {
  it("names every stand-in the scenarios used, once each, and the failed scenarios", () => {
    const line = summary([scenario("1", true, ["KEDA: scaled by hand", "a GPU"]), scenario("2", false, ["a GPU"])]);
    expect(line).toMatch(
      /^1 checks passed, 1 failed \(scenarios 2\); [\d.]+s; stand-ins: KEDA: scaled by hand; a GPU$/,
    );
  });

  it("says none when nothing stood in", () => {
    expect(summary([scenario("1", true, [])])).toMatch(/; stand-ins: none$/);
  });
});
