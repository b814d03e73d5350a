/** node-ready: the real node is Ready, and a pod with the charts' restricted security context runs on it. */
import { busyboxImage } from "../../images/catalog.js";
import { execIn, waitPodsReady } from "../../harness/pods.js";
import type { RuntimeScenario } from "../context.js";

export const nodeReady: RuntimeScenario = {
  id: "node-ready",
  title: "the real node is Ready and runs a pod with the charts' restricted security context, confined as declared",
  run: async (ctx) => {
    const node = ctx.info?.realNodes?.[0] ?? "";
    const ready = await ctx.k.kubectl([
      "get",
      "node",
      node,
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    if (ready.trim() !== "True") throw new Error(`node ${node} is not Ready (${ready.trim()})`);
    await ctx.k.apply([
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "restricted-probe", namespace: "default", labels: { app: "restricted-probe" } },
        spec: {
          nodeName: node,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "main",
              image: busyboxImage.config.ref,
              imagePullPolicy: "Never",
              command: ["sh", "-c", "echo ok > /scratch/probe && exec sleep 3600"],
              readinessProbe: { exec: { command: ["cat", "/scratch/probe"] }, periodSeconds: 1 },
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [{ name: "scratch", mountPath: "/scratch" }],
            },
          ],
          volumes: [{ name: "scratch", emptyDir: { sizeLimit: "1Mi" } }],
        },
      },
    ]);
    const [pod] = await waitPodsReady(ctx.k, "default", "app=restricted-probe", { timeoutMs: 60_000 });
    // The container really is confined: uid 1000 and a read-only root filesystem.
    const id = await execIn(ctx.k, "default", pod?.metadata.name ?? "", "main", [
      "sh",
      "-c",
      "id -u; touch /x 2>&1 || true",
    ]);
    if (!id.out.startsWith("1000") || !/Read-only/i.test(id.out))
      throw new Error(`confinement not as declared: ${id.out}`);
    await ctx.k.kubectl(["delete", "pod", "restricted-probe", "-n", "default", "--wait=false"]);
  },
};
