import { run } from "../lib/run.js";
import { eventually } from "../lib/wait.js";
import { requireBin } from "../toolchain/tools.js";

/** kubectl against one cluster, as its admin: what start-up phases use to create the objects they need. */
export interface ClusterKubectl {
  /** Runs kubectl; throws with its error output when it fails. */
  kubectl: (args: string[], input?: string) => Promise<string>;
  /** Server-side applies objects under a field manager of their own. */
  apply: (objects: object[], fieldManager: string) => Promise<void>;
  /** Server-side applies manifest files (conflicts forced: these fields are ours to set). */
  applyFiles: (files: string[], fieldManager: string) => Promise<void>;
  /** Waits until each CRD (`<plural>.<group>`) is Established. */
  crdsEstablished: (names: string[], timeoutSeconds?: number) => Promise<void>;
}

export const clusterKubectl = (kubeconfig: string): ClusterKubectl => {
  const kubectl = async (args: string[], input?: string) => {
    const r = await run(requireBin("kubectl"), ["--kubeconfig", kubeconfig, ...args], { input });
    if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const serverSide = (fieldManager: string) => [
    "apply",
    "--server-side",
    "--force-conflicts",
    `--field-manager=${fieldManager}`,
  ];
  return {
    kubectl,
    apply: async (objects, fieldManager) => {
      await kubectl(
        [...serverSide(fieldManager), "-f", "-"],
        JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
      );
    },
    applyFiles: async (files, fieldManager) => {
      // kubectl's own schema check of large CRDs costs seconds and adds nothing: the server validates them.
      await kubectl([...serverSide(fieldManager), "--validate=false", ...files.flatMap((f) => ["-f", f])]);
    },
    crdsEstablished: async (names, timeoutSeconds = 60) => {
      // `kubectl wait` fails, rather than waits, on a CRD whose status has no conditions yet: retried until it waits.
      const wait = ["wait", "--for=condition=Established", `--timeout=${timeoutSeconds}s`];
      await eventually(() => kubectl([...wait, ...names.map((n) => `crd/${n}`)]), timeoutSeconds * 1000);
    },
  };
};
