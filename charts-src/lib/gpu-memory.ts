/**
 * GPU memory, in MiB, on both sides of a placement: what a GPU of each instance family holds (as Karpenter's
 * `karpenter.k8s.aws/instance-gpu-memory` label states it, per GPU), and what a model needs loaded. Declared once, so
 * a tenant's schema can refuse a model too large for the GPUs it asks for, and the install test's kwok nodes carry
 * the same figures.
 */

/** Memory of one GPU of each GPU instance family the pools may use (nominal: A10G/L4 24 GB, L40S 48 GB, A100, H100). */
export const gpuMemoryMiBByFamily: Record<string, number> = {
  g5: 24576,
  g6: 24576,
  g6e: 49152,
  p4d: 40960,
  p4de: 81920,
  p5: 81920,
};

/** Memory of one MIG slice of each profile (the profile names its gigabytes). */
export const migSliceMemoryMiB = (profile: string): number => Number(/g\.([0-9]+)gb$/.exec(profile)?.[1] ?? 0) * 1024;

/**
 * GPU memory a model needs with its default context: Ollama's download size of the default quantisation plus about
 * 10% for the KV cache and the runtime. Only the models the platform's catalog is likely to hold; a model not listed
 * is the operator's to size.
 */
export const modelGpuMemoryMiB: Record<string, number> = {
  "llama3.2:3b": 2300,
  "llama3.1:8b": 5500,
  "qwen2.5:7b": 5200,
  "mixtral:8x7b": 29000,
  "llama3.1:70b": 45000,
  "llama3.3:70b": 45000,
  "qwen2.5:72b": 50000,
};
