/**
 * kubectl against one cluster: every call names the kubeconfig, and failures carry the server's own message.
 */
import type { KubeObject, Named } from "../../charts-src/lib/k8s.js";
import { type RunResult, run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** kubectl failed: the command and the server's message (stderr), which is what a reader needs. */
export class KubectlError extends Error {
  constructor(
    readonly args: string[],
    readonly result: RunResult,
  ) {
    super(
      `kubectl ${args.join(" ")} failed (exit ${result.exitCode}):\n${result.stderr.trim() || result.stdout.trim()}`,
    );
    this.name = "KubectlError";
  }
}

export class Kube {
  readonly kubectlBin: string;

  constructor(readonly kubeconfig: string) {
    this.kubectlBin = requireBin("kubectl");
  }

  /** Runs kubectl; never throws. */
  raw(args: string[], input?: string): Promise<RunResult> {
    return run(this.kubectlBin, ["--kubeconfig", this.kubeconfig, ...args], { input });
  }

  /** Runs kubectl and returns stdout; throws a KubectlError on a non-zero exit. */
  async kubectl(args: string[], input?: string): Promise<string> {
    const res = await this.raw(args, input);
    if (res.exitCode !== 0) throw new KubectlError(args, res);
    return res.stdout;
  }

  /** Creates objects (fails if one exists). */
  create(objects: object[]): Promise<string> {
    return this.kubectl(["create", "-f", "-"], toList(objects));
  }

  /** Server-side apply with a field manager of our own. */
  apply(objects: object[], fieldManager = "llmcharts-install"): Promise<string> {
    return this.kubectl(["apply", "--server-side", `--field-manager=${fieldManager}`, "-f", "-"], toList(objects));
  }

  async get<T extends KubeObject = KubeObject>(kind: string, name: string, namespace?: string): Promise<Named<T>> {
    return JSON.parse(await this.kubectl(["get", kind, name, ...nsArgs(namespace), "-o", "json"])) as Named<T>;
  }

  /** Every object of a kind (in one namespace, or all with namespace "*"). */
  async list<T extends KubeObject = KubeObject>(
    kind: string,
    namespace?: string,
    selector?: string,
  ): Promise<Named<T>[]> {
    const ns = namespace === "*" ? ["--all-namespaces"] : nsArgs(namespace);
    const sel = selector ? ["-l", selector] : [];
    const out = JSON.parse(await this.kubectl(["get", kind, ...ns, ...sel, "-o", "json"])) as { items: Named<T>[] };
    return out.items;
  }

  /** Whether an object exists (any other error is thrown). */
  async exists(kind: string, name: string, namespace?: string): Promise<boolean> {
    const res = await this.raw(["get", kind, name, ...nsArgs(namespace), "-o", "name"]);
    if (res.exitCode === 0) return true;
    if (/NotFound|not found/.test(res.stderr)) return false;
    throw new KubectlError(["get", kind, name], res);
  }

  /** The API server's version, e.g. v1.35.8. */
  async serverVersion(): Promise<string> {
    const v = JSON.parse(await this.kubectl(["version", "-o", "json"])) as { serverVersion: { gitVersion: string } };
    return v.serverVersion.gitVersion;
  }

  /** `kubectl api-versions`: every group/version the server serves. */
  async apiVersions(): Promise<string[]> {
    return (await this.kubectl(["api-versions"])).split("\n").filter((l) => l.trim() !== "");
  }
}

const nsArgs = (namespace?: string): string[] => (namespace ? ["-n", namespace] : []);

/** A `v1 List` of objects, as kubectl reads it from stdin. */
export const toList = (objects: object[]): string => JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
