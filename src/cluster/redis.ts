/**
 * A Redis server from Debian's package (pinned in src/toolchain/pins.ts) as a host process: a password, no
 * persistence, its files in a directory the caller owns. The runtime suite's host services and the install suite's
 * Argo CD both run one.
 */
import { connect } from "node:net";
import { join } from "node:path";
import { requireBin } from "../toolchain/tools.js";
import { type Started, startProcess, tailFile } from "./processes.js";
import { waitUntil } from "./probe.js";

/** Sends Redis commands (RESP) and returns the raw replies; QUIT last, so the server closes when it has answered. */
export const redisCommands = (host: string, port: number, commands: string[][]): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let replies = "";
    socket.setTimeout(3000, () => socket.destroy(new Error(`redis ${host}:${port}: no answer in 3 s`)));
    socket.on("data", (d) => {
      replies += d.toString("utf8");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(replies));
    const resp = (args: string[]) =>
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
    socket.write([...commands, ["QUIT"]].map(resp).join(""));
  });

export interface RedisOptions {
  host: string;
  port: number;
  password: string;
  /** Its working directory and log (redis.log). */
  dir: string;
}

/** Starts redis-server and resolves once it answers PING with the password; fails at once, with its log, if it exits. */
export const startRedis = async ({ host, port, password, dir }: RedisOptions): Promise<Started> => {
  const args = [
    ...["--bind", host, "--port", String(port), "--requirepass", password],
    ...["--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"],
  ];
  const server = await startProcess("redis", requireBin("redis-server"), args, join(dir, "redis.log"));
  await waitUntil(
    "redis",
    async () => {
      if (server.exit) throw new Error(`redis exited (${server.exit.code}):\n${tailFile(server.log)}`);
      const replies = await redisCommands(host, port, [["AUTH", password], ["PING"]]).catch(() => "");
      return replies.includes("+PONG") || "not answering yet";
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  return server;
};
