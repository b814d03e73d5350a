/** What a scenario found: named checks (each an assertion that could fail), notes, and how long it took. */

export interface Check {
  name: string;
  ok: boolean;
  /** Why it failed, or what was observed. */
  detail?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  ok: boolean;
  ms: number;
  checks: Check[];
  /** Observations that are not checks (timings, tables, what was skipped and why). */
  notes: string[];
  /** Measured figures the benches read (e.g. seconds to the first answer). */
  figures: Record<string, number>;
  /** What the scenario did by hand that a controller or a cloud service does for real, each named once. */
  standIns: string[];
}

export class Recorder {
  readonly checks: Check[] = [];
  readonly notes: string[] = [];
  readonly figures: Record<string, number> = {};
  private readonly standInsUsed = new Set<string>();
  private readonly t0 = Date.now();

  constructor(
    readonly id: string,
    readonly title: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  check(name: string, ok: boolean, detail?: string): boolean {
    this.checks.push({ name, ok, ...(detail !== undefined ? { detail } : {}) });
    this.log(`  ${ok ? "ok  " : "FAIL"} ${name}${detail && !ok ? `: ${firstLines(detail)}` : ""}`);
    return ok;
  }

  note(line: string): void {
    this.notes.push(line);
    this.log(`  note ${firstLines(line)}`);
  }

  /** A figure for the benches, noted too. */
  figure(name: string, value: number): void {
    this.figures[name] = value;
    this.note(`${name}: ${value.toFixed(1)}`);
  }

  /** Names what stands in for a real controller or service here (e.g. "KEDA: premium scaled by hand"). */
  standIn(what: string): void {
    this.standInsUsed.add(what);
  }

  /** Runs a step; if it throws, records a failed check with the error's message and returns undefined. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await fn();
      this.check(name, true);
      return value;
    } catch (err) {
      this.check(name, false, (err as Error).message);
      return undefined;
    }
  }

  /** Times a step for the notes. */
  async timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      this.note(`${what}: ${((Date.now() - t) / 1000).toFixed(1)}s`);
    }
  }

  result(): ScenarioResult {
    return {
      id: this.id,
      title: this.title,
      ok: this.checks.length > 0 && this.checks.every((c) => c.ok),
      ms: Date.now() - this.t0,
      checks: this.checks,
      notes: this.notes,
      figures: this.figures,
      standIns: [...this.standInsUsed].sort(),
    };
  }
}

const firstLines = (s: string, n = 6): string => {
  const lines = s.split("\n");
  return lines.length <= n ? s : `${lines.slice(0, n).join("\n")}\n  …`;
};
