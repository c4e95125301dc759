import { exporter } from "ipfs-unixfs-exporter";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { createEmbeddedStore } from "./src/index.ts";
const dir = await mkdtemp(join(tmpdir(), "exp-"));
const store = createEmbeddedStore({ directory: dir, limits: { maxBytes: 300 * 1024 * 1024 } });
async function* gen() { for (let i = 0; i < 200; i++) { const b = new Uint8Array(1024*1024); b.fill(i); b[0] = i; b[1]=i>>8; yield b.map((x, j) => (x + j) & 255); } }
const { cid } = await store.add(gen(), { mediaType: "video/mp4" });
const bs = new FsBlockstore(join(dir, "blocks")); await bs.open();
const slow = async (src: AsyncIterable<Uint8Array>, label: string) => {
  (globalThis as any).gc(); let peak = 0; let n = 0;
  for await (const c of src) { n += c.byteLength; await new Promise(r => setTimeout(r, 20)); peak = Math.max(peak, process.memoryUsage().rss); if (n > 40 * 1024 * 1024) break; }
  console.log(label, "peak RSS MiB after reading 40 MiB slowly:", (peak / 1048576).toFixed(0));
};
const entry = await exporter(cid, bs) as any;
await slow(entry.content(), "exporter");
await slow(store.get(cid), "sdk walkFile");
process.exit(0);
