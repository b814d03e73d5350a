/**
 * What the install and runtime suites share: a context holding the clients of one cluster (kubectl, Helm) and
 * nothing a scenario made, and the scenario type. A scenario returns what it made (the tenants it installed, the
 * nodes it found) and later scenarios read it from `made`; the runner (run.ts) keeps it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ClusterInfo } from "../cluster/index.js";
import type { Helm } from "./helm.js";
import type { Kube } from "./kube.js";
import type { Recorder } from "./recorder.js";

export interface SuiteOptions {
  /** Repository root (generated/, test/<suite>/values/). */
  root: string;
  /** Scratch directory: Helm's home, run-time values files, analyzer dumps. */
  workDir: string;
  /** Name of the embedded cluster to start. */
  clusterName?: string;
  log?: (line: string) => void;
}

/** The clients of one cluster: set by `up`, read by every scenario. */
export abstract class SuiteContext {
  info?: ClusterInfo;
  kube?: Kube;
  helm?: Helm;
  readonly log: (line: string) => void;

  constructor(
    readonly opts: SuiteOptions,
    private readonly defaultName: string,
  ) {
    this.log = opts.log ?? (() => {});
    mkdirSync(opts.workDir, { recursive: true });
  }

  get clusterName(): string {
    return this.opts.clusterName ?? this.defaultName;
  }

  /** A generated chart of this repository. */
  chartDir(chart: string): string {
    return join(this.opts.root, "generated", chart);
  }

  /** kubectl and Helm, once the cluster is up. */
  need(): { kube: Kube; helm: Helm } {
    if (!this.kube || !this.helm) throw new Error("no cluster: bring-up did not succeed");
    return { kube: this.kube, helm: this.helm };
  }

  get k(): Kube {
    return this.need().kube;
  }

  get h(): Helm {
    return this.need().helm;
  }

  /** Starts the cluster (or connects to one) and sets the clients. */
  abstract up(): Promise<void>;
}

/** One scenario: named checks recorded on `r`; one that throws fails with the error's message. */
export interface Scenario<C extends SuiteContext, M> {
  id: string;
  /** What the scenario proves, in a line: its heading in the CLI's report and its test's name. */
  title: string;
  /** For what runs without a cluster (bring-up starts it, teardown stops it); the others wait for bring-up's. */
  withoutCluster?: true;
  /** Runs last, even after a failure, unless the cluster is kept. */
  cleanup?: true;
  /** How long its test may run, when longer than the suite's default. */
  timeoutMs?: number;
  /** Reads what earlier scenarios made; returns what it made for later ones. */
  run: (ctx: C, r: Recorder, made: Readonly<Partial<M>>) => Promise<Partial<M> | undefined> | Promise<void>;
}

/** What an earlier scenario should have made; throws naming that scenario when it did not. */
export const madeBy = <T>(value: T | undefined, what: string, scenario: string): T => {
  if (value === undefined) throw new Error(`no ${what}: scenario ${scenario} did not make it`);
  return value;
};
