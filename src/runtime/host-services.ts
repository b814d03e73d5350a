/**
 * The managed services a tenant uses in the cloud, as host processes of a lab: PostgreSQL with pgvector where Aurora
 * would be, Redis where ElastiCache would be. Both listen on the node's address only, so the pods reach them through
 * the tenant chart's `database.cidrs` / `redis.cidrs` egress rules exactly as they would reach the cloud's. Each keeps
 * its data in a temporary directory of its own; `stop` ends them by PID and removes those directories.
 */
import { randomBytes } from "node:crypto";
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { freePorts } from "../cluster/ports.js";
import { redisCommands, startRedis } from "../cluster/redis.js";
import { type Started, startProcess, stopProcesses, tailFile } from "../cluster/processes.js";
import { type Probe, waitUntil } from "../cluster/probe.js";
import { run, runStep } from "../lib/run.js";
import { hostIp } from "../node/host.js";
import { labNodes } from "../node/lab-nodes.js";
import { pgTree } from "../toolchain/pg-extension.js";
import type { PgExtensionTool } from "../toolchain/pins.js";
import { requireBin, toolOf } from "../toolchain/tools.js";

/** The system user PostgreSQL runs as (it refuses root); Debian's package creates it. */
const postgresUser = (): { uid: number; gid: number } => {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) throw new Error("no postgres user in /etc/passwd: install the pinned postgresql-15 package");
  return { uid: Number(uid), gid: Number(gid) };
};

export class HostServices {
  readonly host = hostIp();
  private readonly processes: Started[] = [];
  private readonly dirs: string[] = [];
  postgresPort = 0;
  redisPort = 0;
  readonly redisPassword = randomBytes(12).toString("hex");
  private socketDir = "";
  /** The bin directory of this run's copy of the server tree. */
  private pgBin = "";

  /** PostgreSQL (superuser `postgres`, trusted only on its own socket) and Redis (a password), both on the node's address. */
  async start(log: (line: string) => void): Promise<void> {
    [this.postgresPort = 0, this.redisPort = 0] = await freePorts(2);
    await this.startPostgres();
    await this.startRedis();
    log(`host services: postgres ${this.host}:${this.postgresPort} (pgvector), redis ${this.host}:${this.redisPort}`);
  }

  private tempDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `llmcharts-${name}-`));
    this.dirs.push(dir);
    return dir;
  }

  private async startPostgres(): Promise<void> {
    const user = postgresUser();
    const dir = this.tempDir("postgres");
    chownSync(dir, user.uid, user.gid);
    const data = join(dir, "data");
    this.socketDir = dir;
    // The cached tree (with pgvector) lies under root's home, which the postgres user cannot enter: run a copy.
    requireBin("postgres");
    const cached = pgTree(toolOf("postgres") as PgExtensionTool);
    await runStep("copy the PostgreSQL tree", "cp", ["-a", cached.root, join(dir, "pg")]);
    this.pgBin = join(dir, "pg", relative(cached.root, cached.bin));
    await runStep(
      "initdb",
      join(this.pgBin, "initdb"),
      [
        "-D",
        data,
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-instructions",
      ],
      { ...user, cwd: dir },
    );
    // Pods connect from the nodes' pod networks, with a password (as to Aurora); nothing else does.
    const hba = join(data, "pg_hba.conf");
    const podNets = labNodes(true).map((n) => `host all all ${n.podCidr} scram-sha-256`);
    writeFileSync(hba, `${readFileSync(hba, "utf8")}\n${podNets.join("\n")}\n`);
    const log = join(dir, "postgres.log");
    const args = [
      ...["-D", data, "-c", `listen_addresses=${this.host}`, "-c", `port=${this.postgresPort}`],
      ...["-c", `unix_socket_directories=${dir}`],
      // A lab's database: nothing to survive a crash, so no waiting on the disk.
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ];
    const server = await startProcess("postgres", join(this.pgBin, "postgres"), args, log, { ...user, cwd: dir });
    this.processes.push(server);
    await waitUntil(
      "postgres",
      this.alive(server, async () => (await this.psql("postgres", "SELECT 1")).ok),
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
  }

  private async startRedis(): Promise<void> {
    const dir = this.tempDir("redis");
    const server = await startRedis({ host: this.host, port: this.redisPort, password: this.redisPassword, dir });
    this.processes.push(server);
  }

  /** A probe that fails at once, with the log's end, when the server has exited. */
  private alive(server: Started, ready: () => Promise<boolean>): Probe {
    return async () => {
      if (server.exit) throw new Error(`${server.name} exited (${server.exit.code}):\n${tailFile(server.log)}`);
      return (await ready()) || "not answering yet";
    };
  }

  /** Runs SQL as the superuser in a database (on the server's socket); resolves with its output. */
  async psql(database: string, sql: string): Promise<{ ok: boolean; out: string }> {
    const r = await run(join(this.pgBin, "psql"), [
      ...["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", this.socketDir, "-p", String(this.postgresPort)],
      ...["-U", "postgres", "-d", database, "-c", sql],
    ]);
    return { ok: r.exitCode === 0, out: `${r.stdout}${r.stderr}`.trim() };
  }

  private async sql(database: string, sql: string): Promise<void> {
    const r = await this.psql(database, sql);
    if (!r.ok) throw new Error(`postgres (${database}): ${sql}: ${r.out}`);
  }

  /**
   * A database owned by an ordinary login role (no superuser, as an application's role on Aurora), with pgvector
   * created in it by the superuser when asked, the way the chart's README tells an operator to; returns its URL.
   */
  async database(name: string, { pgvector }: { pgvector: boolean }): Promise<string> {
    const password = randomBytes(12).toString("hex");
    await this.sql("postgres", `CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    await this.sql("postgres", `CREATE DATABASE ${name} OWNER ${name}`);
    if (pgvector) await this.sql(name, "CREATE EXTENSION vector");
    return `postgresql://${name}:${password}@${this.host}:${this.postgresPort}/${name}`;
  }

  get redisUrl(): string {
    return `redis://:${this.redisPassword}@${this.host}:${this.redisPort}/0`;
  }

  /** Redis commands against the lab's Redis (authenticated); the raw replies. */
  redis(...commands: string[][]): Promise<string> {
    return redisCommands(this.host, this.redisPort, [["AUTH", this.redisPassword], ...commands]);
  }

  /** What a kept run leaves running: the PIDs to stop and the directories to remove by hand. */
  describe(): string {
    const pids = this.processes.map((p) => `${p.name} pid ${p.pid}`).join(", ");
    return `host services kept: ${pids}; stop them with kill ${this.processes.map((p) => p.pid).join(" ")} and remove ${this.dirs.join(" ")}`;
  }

  /** Stops both servers by PID (SIGTERM, then SIGKILL) and removes their data directories. */
  async stop(): Promise<void> {
    const report = await stopProcesses([this.processes], 5000);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    if (report.survivors.length > 0) throw new Error(`host services still running: ${report.survivors.join(", ")}`);
  }
}
