import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface GetOptions {
  /** Bearer token. */
  token?: string;
  /** PEM CA to verify an HTTPS server with; without it the server certificate is not verified. */
  ca?: string;
  timeoutMs?: number;
}

export interface GetResult {
  status: number;
  body: string;
}

/** One GET request; rejects on connection errors and timeouts, resolves with any HTTP status. */
export const httpGet = (url: string, opts: GetOptions = {}): Promise<GetResult> =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(
      u,
      {
        method: "GET",
        agent: false,
        headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {},
        timeout: opts.timeoutMs ?? 2000,
        ...(u.protocol === "https:" ? { ca: opts.ca, rejectUnauthorized: opts.ca !== undefined } : {}),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${opts.timeoutMs ?? 2000}ms`)));
    req.on("error", reject);
    req.end();
  });

/** A readiness probe: true when ready, otherwise a short reason kept for the timeout message. */
export type Probe = () => Promise<true | string>;

/** A probe that is ready when `url` answers 200. */
export const httpProbe =
  (url: string, opts: GetOptions = {}): Probe =>
  async () => {
    try {
      const res = await httpGet(url, opts);
      return res.status === 200 ? true : `HTTP ${res.status}: ${res.body.trim().split("\n").slice(-3).join(" | ")}`;
    } catch (err) {
      return (err as Error).message;
    }
  };

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called before each attempt; throwing stops the wait (a component died). */
  guard?: () => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** Polls `probe` until it succeeds; throws naming `what` and the last reason on timeout. */
export const waitUntil = async (what: string, probe: Probe, opts: WaitOptions): Promise<void> => {
  const deadline = Date.now() + opts.timeoutMs;
  let last = "no attempt";
  for (;;) {
    opts.signal?.throwIfAborted();
    opts.guard?.();
    const result = await probe();
    if (result === true) return;
    last = result;
    if (Date.now() >= deadline) {
      throw new Error(`${what} not ready after ${(opts.timeoutMs / 1000).toFixed(0)}s (last probe: ${last})`);
    }
    await sleep(opts.intervalMs ?? 100, opts.signal);
  }
};
