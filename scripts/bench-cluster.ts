// Times `clusterUp` and `clusterDown` of the local control plane: npx tsx scripts/bench-cluster.ts [runs=5]
import { clusterDown, clusterUp } from "../src/cluster/index.js";

const runs = Number(process.argv[2] ?? 5);
const name = `bench-${process.pid}`;
const ups: number[] = [];
const downs: number[] = [];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

try {
  for (let i = 1; i <= runs; i++) {
    let t = performance.now();
    await clusterUp({ name });
    ups.push(performance.now() - t);
    t = performance.now();
    await clusterDown({ name });
    downs.push(performance.now() - t);
    console.log(`run ${i}: up ${fmt(ups.at(-1) ?? 0)}, down ${fmt(downs.at(-1) ?? 0)}`);
  }
} finally {
  await clusterDown({ name });
}
console.log(`median of ${runs}: up ${fmt(median(ups))}, down ${fmt(median(downs))}`);
