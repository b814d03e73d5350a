/** Waiting on real pods, with the evidence a reader needs when they never get there: events and container logs. */
import { labels } from "../../charts-src/lib/conventions.js";
import type { Named, Pod } from "../../charts-src/lib/k8s.js";
import type { Kube } from "./kube.js";
import { sleep } from "../lib/wait.js";

/** The pods of a namespace matching a label selector. */
export const podsOf = async (kube: Kube, namespace: string, selector: string): Promise<Named<Pod>[]> =>
  JSON.parse(await kube.kubectl(["get", "pods", "-n", namespace, "-l", selector, "-o", "json"])).items;

const isReady = (p: Named<Pod>) => (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/** Restarts of the pod's containers, init containers included (a failed init container is retried in place). */
export const restarts = (p: Named<Pod>): number =>
  [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce(
    (n, c) => n + c.restartCount,
    0,
  );

/** The last `count` events of a namespace matching a field selector, one line each (or why they could not be read). */
const events = async (kube: Kube, namespace: string, fieldSelector: string, columns: string, count: number) => {
  const out = await kube
    .kubectl(["get", "events", "-n", namespace, "--field-selector", fieldSelector, "-o", `custom-columns=${columns}`])
    .catch((e: Error) => e.message);
  return out.trim() ? out.trim().split("\n").slice(1).slice(-count) : [];
};

/** Events and the last log lines of every container of the pods: why they are not Ready. */
export const podEvidence = async (kube: Kube, namespace: string, selector: string): Promise<string> => {
  // The namespace's warnings first: a pod that was never created (admission, quota) shows only there.
  const warnings = await events(
    kube,
    namespace,
    "type=Warning",
    "OBJECT:.involvedObject.name,REASON:.reason,MESSAGE:.message",
    6,
  );
  const lines: string[] = warnings.length ? [`warnings in ${namespace}:`, ...warnings.map((l) => `  ${l}`)] : [];
  for (const p of await podsOf(kube, namespace, selector).catch(() => [])) {
    const name = p.metadata.name;
    const states = (p.status?.containerStatuses ?? [])
      .map((c) => `${c.name}: ${JSON.stringify(c.state)} restarts=${c.restartCount}`)
      .join("; ");
    lines.push(`pod ${namespace}/${name} phase=${p.status?.phase} ${states}`);
    const podEvents = await events(
      kube,
      namespace,
      `involvedObject.name=${name}`,
      "REASON:.reason,MESSAGE:.message",
      8,
    );
    lines.push(...podEvents.map((l) => `  event ${l}`));
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      const log = await kube
        .kubectl(["logs", "-n", namespace, name, "-c", c.name, "--tail=15"])
        .catch((e: Error) => e.message);
      lines.push(
        `  logs ${c.name}:`,
        ...log
          .trim()
          .split("\n")
          .map((l) => `    ${l}`),
      );
    }
  }
  return lines.join("\n");
};

/** Waits until `count` pods match and all are Ready by their own probes; throws with the evidence otherwise. */
export const waitPodsReady = async (
  kube: Kube,
  namespace: string,
  selector: string,
  { count = 1, timeoutMs = 300_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<Named<Pod>[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = (await podsOf(kube, namespace, selector)).filter((p) => !p.metadata.deletionTimestamp);
    if (pods.length >= count && pods.every(isReady)) return pods;
    if (Date.now() > deadline) {
      throw new Error(
        `pods ${namespace}/${selector}: ${pods.filter(isReady).length}/${count} Ready after ${timeoutMs / 1000}s\n${await podEvidence(kube, namespace, selector)}`,
      );
    }
    await sleep(1000);
  }
};

/** Runs a command in a pod's container; resolves with its exit code and output (never throws on a failed command). */
export const execIn = async (
  kube: Kube,
  namespace: string,
  pod: string,
  container: string,
  command: string[],
): Promise<{ code: number; out: string }> => {
  const r = await kube.raw(["exec", "-n", namespace, pod, "-c", container, "--", ...command]);
  return { code: r.exitCode, out: `${r.stdout}${r.stderr}`.trim() };
};

/** The label selector of a tenant workload's pods: the chart's component label. */
export const componentSelector = (component: string): string => `${labels.component}=${component}`;
