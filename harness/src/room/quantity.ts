// Kubernetes resource quantities as numbers: CPU in millicores, memory in bytes; and back, for objects and tables.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** `500m` → 500, `1.5` → 1500, `2` → 2000; undefined when it is not a CPU quantity. */
export function milliCpu(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)(m?)$/.exec(String(q).trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? Math.ceil(m[2] ? n : n * 1000) : undefined;
}

/** `128Mi` → 134217728, `1G` → 1e9, `1024` → 1024; undefined when it is not a memory quantity. */
export function bytes(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)([KMGT]i|[kMGT])?$/.exec(String(q).trim());
  if (!m) return undefined;
  const unit = m[2] ? (BINARY[m[2]] ?? DECIMAL[m[2]]!) : 1;
  const n = Number(m[1]) * unit;
  return Number.isFinite(n) ? Math.ceil(n) : undefined;
}

export const cpuQuantity = (milli: number) => (milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`);
export const memQuantity = (b: number) => `${Math.ceil(b / 2 ** 20)}Mi`;

/** For people: `1.5 CPU`, `512 MiB`, `1.2 GiB`. */
export const cpuText = (milli: number) => `${+(milli / 1000).toFixed(2)} CPU`;
export const memText = (b: number) =>
  b >= 2 ** 30 ? `${+(b / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(b / 2 ** 20)} MiB`;

/** CPU and memory together. */
export interface Amount {
  cpu: number;
  memory: number;
}
export const ZERO: Amount = { cpu: 0, memory: 0 };
export const add = (a: Amount, b: Amount): Amount => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
