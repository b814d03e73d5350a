/**
 * ha: a tenant with two OpenWebUI replicas on the lab's host PostgreSQL (with pgvector) and Redis, which the pods
 * reach through the chart's database.cidrs / redis.cidrs egress rules, as Aurora and ElastiCache would be reached.
 * Both replicas Ready by their own probes with no restart at all on this first start (the migrations ran once);
 * a token issued by one replica is accepted by the other, over its API and over its socket.io WebSocket, whose
 * session the other replica keeps in the shared Redis under the tenant's prefix; and the chart's pgvector check,
 * run against a database without the extension, refuses with its message.
 */
import { tenantObjectNames as names, tenantPorts as ports } from "../../../charts-src/lib/tenant-namespace.js";
import type { Named, Pod } from "../../../charts-src/lib/k8s.js";
import type { HostServices } from "../host-services.js";
import { OpenWebUI } from "../openwebui-api.js";
import { componentSelector, execIn, restarts, waitPodsReady } from "../../harness/pods.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { installLabTenant, type LabTenant, labTenant } from "../tenants.js";
import { sleep } from "../../lib/wait.js";

const podUrl = (p: Named<Pod>) => `http://${p.status?.podIP}:${ports.openwebui}`;

/** Whether a socket id is in the session pool OpenWebUI keeps in Redis (written a moment after the CONNECT ack). */
const sessionInRedis = async (services: HostServices, delta: LabTenant, sid: string): Promise<boolean> => {
  for (let i = 0; i < 50; i++) {
    if ((await services.redis(["HEXISTS", `open-webui:${delta.name}:session_pool`, sid])).includes(":1\r\n"))
      return true;
    await sleep(100);
  }
  return false;
};

/** The chart's migrations script (as deployed) run in a replica against another database; its exit code and output. */
const pgvectorCheck = async (ctx: RuntimeContext, delta: LabTenant, pod: string, databaseUrl: string) => {
  const deployment = JSON.parse(
    await ctx.k.kubectl(["get", "deployment", names.openwebui, "-n", delta.namespace, "-o", "json"]),
  ) as { spec: { template: { spec: { initContainers: { command: string[] }[] } } } };
  const command = deployment.spec.template.spec.initContainers[0]?.command ?? [];
  return execIn(ctx.k, delta.namespace, pod, "openwebui", ["env", `DATABASE_URL=${databaseUrl}`, ...command]);
};

export const haReady: RuntimeScenario = {
  id: "ha",
  title:
    "two OpenWebUI replicas on the host PostgreSQL and Redis: one login, one socket.io session pool, pgvector checked",
  run: async (ctx, r) => {
    const services = await ctx.services();
    const delta = labTenant("delta");
    const databaseUrl = await services.database(delta.name, { pgvector: true });
    const start = Date.now();
    await installLabTenant(ctx, r, delta, "lab-ha.yaml", {
      secrets: { DATABASE_URL: databaseUrl, REDIS_URL: services.redisUrl },
      sharedData: true,
      values: {
        openwebui: {
          database: { cidrs: [`${services.host}/32`], port: services.postgresPort },
          redis: { cidrs: [`${services.host}/32`], port: services.redisPort },
        },
      },
    });
    const [a, b] = await waitPodsReady(ctx.k, delta.namespace, componentSelector(names.openwebui), {
      count: 2,
      timeoutMs: 420_000,
    });
    if (!a || !b) throw new Error("fewer than two OpenWebUI replicas");
    const readySeconds = (Date.now() - start) / 1000;
    const restarted = [a, b].filter((p) => restarts(p) > 0).map((p) => `${p.metadata.name} (${restarts(p)})`);
    if (restarted.length > 0) throw new Error(`replicas restarted on their first start: ${restarted.join(", ")}`);

    // Signed in on one replica, the token works on the other: its API and its socket.io, kept in the shared Redis.
    const one = new OpenWebUI(podUrl(a));
    await one.signin(delta.adminEmail, delta.adminPassword);
    const other = new OpenWebUI(podUrl(b));
    other.token = one.token;
    const session = await other.session();
    if (session.email !== delta.adminEmail) throw new Error(`replica 2 resolved replica 1's token to ${session.email}`);
    const socket = await other.socket();
    try {
      if (!(await sessionInRedis(services, delta, socket.sid))) {
        throw new Error(`socket ${socket.sid} on replica 2 is not in Redis's session pool (open-webui:${delta.name}:)`);
      }
    } finally {
      socket.close();
    }
    // Both replicas' socket.io managers listen on the one Redis channel, so an event emitted by either reaches all.
    const listeners = await services.redis(["PUBSUB", "NUMSUB", "socketio"]);
    if (!/:2\r\n$/.test(listeners.replace(/\+OK\r\n/g, ""))) {
      throw new Error(`socket.io's Redis channel has not two subscribers: ${JSON.stringify(listeners)}`);
    }

    const withoutVector = await services.database(`${delta.name}_novector`, { pgvector: false });
    const check = await pgvectorCheck(ctx, delta, a.metadata.name, withoutVector);
    if (check.code === 0 || !check.out.includes('pgvector: the extension "vector" is not created in database')) {
      throw new Error(
        `the pgvector check let a database without the extension pass (exit ${check.code}): ${check.out}`,
      );
    }
    r.figure("readySeconds", readySeconds);
  },
};
