/**
 * The performance record: `npm run bench` writes docs/benchmarks.md and prints it.
 *
 *   npm run bench                              # everything (about 10 minutes on a quiet 2-core machine)
 *   npm run bench -- --only gas                # one part, or several: --only gas,audit
 *   npm run bench -- --only gas --update       # also rewrite the gas snapshot (test/gas-snapshot.json)
 *   npm run bench -- --trades 300              # the indexer benchmark's number of trades (default 200)
 *   npm run bench -- --audit-trades 1000       # the auditor's number of trades (default 1,000)
 *   npm run bench -- --postgres                # the indexer also backfills the Postgres server
 *
 * Parts: gas (the Hardhat gas scenarios of test/fixtures/gasScenarios.ts, run by the snapshot test
 * test/GasSnapshot.test.ts, so the bench and the test measure the same transactions), indexer
 * (indexer/scripts/bench.ts), audit (sdk/scripts/bench-audit.ts) and bundle (the dApp's production
 * build, gzipped). A part not run keeps its section of the existing docs/benchmarks.md; each section
 * records the machine it ran on.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { GasReport, GasScenario } from "../test/fixtures/gasScenarios";

const ROOT = path.resolve(import.meta.dirname, "..");
const DOC = path.join(ROOT, "docs", "benchmarks.md");
const PARTS = ["gas", "indexer", "audit", "bundle"] as const;
type Part = (typeof PARTS)[number];

/** The protected ERC-20 trade's aim (issue 11) and the batch's, in gas. */
const TRADE_AIM = 350_000;
const BATCH_AIM = 30_000;

/**
 * The same scenarios on the contracts of commit 0392f5c, before the gas work (scripts/lib/gasBaseline.json,
 * measured once with test/fixtures/gasScenarios.ts on that commit's contracts; it had no batch entry points).
 */
const BEFORE = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "lib", "gasBaseline.json"), "utf8"),
) as Record<string, number>;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const only = argument("only");
const selected: Part[] =
  only === undefined
    ? [...PARTS]
    : only.split(",").map((p) => {
        if (!(PARTS as readonly string[]).includes(p))
          throw new Error(`Unknown part ${p}; the parts are ${PARTS.join(", ")}.`);
        return p as Part;
      });
const update = process.argv.includes("--update");

const fmt = (n: number) => n.toLocaleString("en-US");
/** "before", "after" and the change, "–" where there was no before. */
function beforeAfter(before: number | undefined, after: number): [string, string, string] {
  if (before === undefined) return ["–", fmt(after), "new"];
  const change = after - before;
  const percent = ((change / before) * 100).toFixed(1);
  return [fmt(before), fmt(after), `${change > 0 ? "+" : ""}${fmt(change)} (${percent}%)`];
}
/** "before → after", or the figure alone where there was no before. */
const arrow = (before: number | undefined, after: number) =>
  before === undefined ? fmt(after) : `${fmt(before)} → ${fmt(after)}`;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** The machine a part ran on, at the time it ran. */
function machine(): string {
  const cpu = cpus();
  const [one, five] = loadavg();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${process.platform}; load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min); ${new Date().toISOString()}`;
}

function run(command: string, args: string[], env: Record<string, string> = {}): string {
  log(`${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}.`);
  }
  return result.stdout;
}

function table(header: string[], rows: string[][], alignRight = (i: number) => i > 0): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (alignRight(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (alignRight(i) ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

// ------------------------------------------------------------------------------------------------
// Gas
// ------------------------------------------------------------------------------------------------

function gasSection(): string {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "bench-gas-")), "report.json");
  run("npx", ["hardhat", "compile", "--quiet"]);
  const env: Record<string, string> = { GAS_REPORT_OUT: out, GAS_PROFILE: "1" };
  if (update) env.GAS_SNAPSHOT_UPDATE = "1";
  try {
    run("npx", ["hardhat", "test", "--no-compile", "test/GasSnapshot.test.ts"], env);
  } catch (error) {
    // The figures are written before the comparison: report them, and say the snapshot failed.
    if (!existsSync(out)) throw error;
    log(
      "the gas snapshot test failed (a figure grew more than 2%); the table shows the new figures.",
    );
  }
  const report = JSON.parse(readFileSync(out, "utf8")) as GasReport;
  const at = machine();
  const byName = (name: string) => report.scenarios.find((s) => s.name === name) as GasScenario;
  const steady = byName("Protected, ERC-20, steady state");
  const first = byName("Protected, ERC-20, first trade");
  const native = byName("Protected, native coin");
  const trades = report.scenarios.filter((s) => s.total !== undefined);

  const lines: string[] = [];
  lines.push(
    "## Gas",
    "",
    `Each figure is one transaction's receipt \`gasUsed\`, the 21,000 base included, on Hardhat's in-process network (solc 0.8.30, optimizer 200 runs, evm cancun). The scenarios (test/fixtures/gasScenarios.ts) start at a fixed time with their own nonces, so every storage access is the same from run to run; only calldata's zero bytes may move a figure by a few dozen gas (a timestamp, a signature's bytes, the court's random draw of arbitrators). \`npm test\` fails if any figure, or the runtime code size of a deployed contract, moves more than 2% either way from test/gas-snapshot.json (\`npm run bench -- --only gas --update\` records a deliberate change; a drop left unrecorded would hide the next growth). Measured on: ${at}.`,
    "",
    "### Whole trades",
    "",
    "Before: the same scenarios on the contracts of commit 0392f5c (scripts/lib/gasBaseline.json).",
    "",
    table(
      ["scenario", "what is summed", "before", "after", "change"],
      trades.map((s) => {
        const before = BEFORE[`${s.name} / ${s.total!.label}`];
        return [s.name, s.total!.label, ...beforeAfter(before, s.total!.gas)];
      }),
      (i) => i >= 2,
    ),
    "",
    "### The protected ERC-20 trade against the aim",
    "",
    `The aim: ${fmt(TRADE_AIM)} gas for the five priced steps (open with both signatures, deposit, balance, attestation with release and title transfer, withdrawal). "First trade" pays first-time storage (the buyer's first receipt, the parties' first nonce word, the treasury's first credit); "steady state" is every later trade.`,
    "",
    table(
      ["step", "first trade", "steady state", "native coin"],
      [
        ...steady.total!.steps.map((step) => [
          step,
          ...[first, steady, native].map((s) => {
            const gas = s.steps.find((x) => x.step === step)?.gas ?? 0;
            return arrow(BEFORE[`${s.name} / ${step}`], gas);
          }),
        ]),
        [
          "the five priced steps",
          ...[first, steady, native].map((s) =>
            arrow(BEFORE[`${s.name} / ${s.total!.label}`], s.total!.gas),
          ),
        ],
      ],
    ),
    "",
    `Steady state: ${fmt(steady.total!.gas)} gas, ${fmt(steady.total!.gas - TRADE_AIM)} above the aim.`,
    "",
  );

  lines.push("### Batches", "");
  const single = steady.steps.find((s) => s.step === "attest receipt and title (release)")?.gas;
  lines.push(
    `\`attestBatch\`: one transaction from the operator attesting receipt and title of N shipped ERC-20 trades (each released at once). The aim is ${fmt(BATCH_AIM)} gas per trade at 100; a single \`attest\` of the same kind takes ${single === undefined ? "?" : fmt(single)}.`,
    "",
    table(
      ["batch size", "transaction gas", "gas per trade"],
      report.batches.map((b) => [String(b.size), fmt(b.gas), fmt(b.perTrade)]),
    ),
    "",
  );
  const many = byName("Withdrawals of many tokens");
  if (many !== undefined)
    lines.push(
      `\`withdrawMany\` of two tokens (the treasury's fees in the ERC-20 and the native coin): ${fmt(many.steps[0]!.gas)} gas in one transaction.`,
      "",
    );

  if (report.profiles !== undefined) {
    const profiles = report.profiles;
    const keys = [...new Set(profiles.flatMap((p) => Object.keys(p.parts)))];
    const sum = (key: string, set = profiles.slice(0, 5)) =>
      set.reduce((a, p) => a + (p.parts[key] ?? 0), 0);
    lines.push(
      "### Profile",
      "",
      "Where the gas of the steady-state protected ERC-20 trade goes, per transaction, from the node's opcode trace: the base and calldata; then the escrow's own execution (its libraries run in its frame) by opcode kind; each other contract (the token, the warehouse receipt) as one part; the refund. The last two columns: the batch of 10 (one transaction), and the five priced steps together.",
      "",
      table(
        ["component", ...profiles.map((p) => p.step), "five steps"],
        keys.map((k) => [k, ...profiles.map((p) => fmt(p.parts[k] ?? 0)), fmt(sum(k))]),
      ),
      "",
    );
    const part = (key: string) => sum(key);
    const gap = steady.total!.gas - TRADE_AIM;
    lines.push(
      "### What the remaining gap is made of",
      "",
      `The steady-state trade takes ${fmt(steady.total!.gas)} gas, ${fmt(gap)} above the aim of ${fmt(TRADE_AIM)}. By component (the five priced steps, from the profile above):`,
      "",
      `- Fixed by the protocol's shape, ${fmt(part("base (21,000)") + part("ERC-20 token (transfer, balanceOf)") + part("WarehouseReceipt (mint)"))} gas: five transactions' bases (${fmt(part("base (21,000)"))}; SPEC fixes deposit and balance as two payments), the three ERC-20 transfers with the escrow's balance check around each pull against fee-on-transfer tokens (${fmt(part("ERC-20 token (transfer, balanceOf)"))}), and the warehouse receipt's ERC-721 mint (${fmt(part("WarehouseReceipt (mint)"))}, 22,100 of it the new owner slot).`,
      `- Storage writes, ${fmt(part("SSTORE") + part("refund"))} gas net of the refund: a new trade's six slots (its packed state, and its terms in five slots packed by who reads them, which every later step reads instead of being sent them) 132,600; the seller's credit from zero at release 22,100 (pull payments: it is emptied at each withdrawal); the two signers' nonce words, the trade counter, the operator's open-trade count, the treasury's credit, and one packed-slot update per step.`,
      `- Cold reads, ${fmt(part("SLOAD"))} gas: every step reads its trade's slots, roles, the operator's bond, nonce words and credits for the first time in its transaction (2,100 each).`,
      `- Calldata, ${fmt(part("calldata"))} gas: the opening's whole terms and two signatures (about 1,100 bytes); every later step sends its trade id and what it adds. "Other execution" (${fmt(part("other execution (stack, memory, ABI coding)"))} in all) is the state machine, the opening's decoding and hashing of the terms, the delegatecall into the logic libraries and the events' ABI encoding.`,
      `- Events, ${fmt(part("events (LOG)"))} gas: the indexer's and the auditor's API (TradeOpened carries the whole terms; the release emits LotReceived, TitleTransferred, FundsReleased, two Credited and a state change).`,
      `- Signatures, ${fmt(part("precompiles (ecrecover)"))} gas (two ecrecovers at opening), and call access costs, ${fmt(part("calls (access, value, 1/64 kept)"))} gas (each step's first call into a logic library and the token are cold).`,
      "",
      "What could close the rest, each a redesign rather than an optimisation, and none done here: write the opening's terms once as the code of a data contract at an address derived from the trade id and version (CREATE2 from the escrow, read with EXTCODECOPY: about 40,000 less at opening than five storage slots, and about 2,000 to 5,000 less a step than reading two to four cold slots); a fungible (ERC-1155) or lazily minted receipt (about 20,000 at release); one payment of the whole price where the terms allow it (a 21,000 base and a transfer); or dropping the balance check around each pull (about 3,000 a payment, at the price of accepting fee-on-transfer tokens short, which the escrow refuses with EscrowTokenShortfall to keep funds conserved). Pushing the seller's payment instead of crediting it would save the credit and the withdrawal, but it breaks pull payments.",
      "",
      `The batch aim of ${fmt(BATCH_AIM)} gas per trade is not met either: each item reads its trade's terms (four cold slots, about 8,400), mints a receipt (about 25,000), emits the release's seven events (about 13,800) and writes its trade's slots and the seller's and treasury's credits; what a batch saves is the 21,000 base and the cold accesses shared by its items.`,
      "",
    );
  }

  lines.push("### Every transaction", "");
  for (const s of report.scenarios) {
    lines.push(`#### ${s.name}`, "");
    const rows = s.steps.map((x) => [
      x.step,
      ...beforeAfter(BEFORE[`${s.name} / ${x.step}`], x.gas),
    ]);
    if (s.total !== undefined) {
      const [before, after, change] = beforeAfter(
        BEFORE[`${s.name} / ${s.total.label}`],
        s.total.gas,
      );
      rows.push([`**${s.total.label}**`, `**${before}**`, `**${after}**`, `**${change}**`]);
    }
    lines.push(table(["transaction", "before", "after", "change"], rows), "");
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------------------------------------
// Indexer, auditor, bundle
// ------------------------------------------------------------------------------------------------

function indexerSection(): string {
  const trades = argument("trades") ?? "200";
  const args = ["run", "bench:indexer", "--silent", "--", "--trades", trades];
  if (!process.argv.includes("--postgres") && process.env.BENCH_DATABASE_URL === undefined)
    args.push("--no-postgres");
  const before = machine();
  const output = run("npm", args);
  return [
    "## Indexer",
    "",
    `\`npm run bench:indexer -- --trades ${trades}\` (indexer/scripts/bench.ts): backfill events per second, live lag, API latency. Started on: ${before}. Finished on: ${machine()}.`,
    "",
    output.trim(),
    "",
  ].join("\n");
}

function auditSection(): string {
  const trades = argument("audit-trades") ?? "1000";
  const before = machine();
  const output = run("npm", ["run", "bench:audit", "--silent", "--", trades]);
  return [
    "## Auditor",
    "",
    `\`npm run bench:audit -- ${trades}\` (sdk/scripts/bench-audit.ts): the auditor's time to verify ${trades} trades with their documents. Started on: ${before}. Finished on: ${machine()}.`,
    "",
    "```",
    output.trim(),
    "```",
    "",
  ].join("\n");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

function bundleSection(): string {
  run("npm", ["run", "build", "-w", "frontend", "--silent"]);
  const dist = path.join(ROOT, "frontend", "dist");
  const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
  const files = filesUnder(dist);
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  // The first page: index.html and the scripts, styles and preloads it names directly.
  const named = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) =>
    path.join(dist, m[1]!),
  );
  const firstPage = [path.join(dist, "index.html"), ...named.filter((f) => existsSync(f))];
  const code = files.filter((f) => /\.(js|css|html)$/.test(f));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows = [
    [
      "first page (index.html and what it loads directly)",
      String(firstPage.length),
      kb(firstPage.reduce((a, f) => a + statSync(f).size, 0)),
      kb(firstPage.reduce((a, f) => a + gz(f), 0)),
    ],
    [
      "whole app (every .js, .css and .html in dist)",
      String(code.length),
      kb(code.reduce((a, f) => a + statSync(f).size, 0)),
      kb(code.reduce((a, f) => a + gz(f), 0)),
    ],
    [
      "everything in dist (images and fonts included)",
      String(files.length),
      kb(files.reduce((a, f) => a + statSync(f).size, 0)),
      kb(files.reduce((a, f) => a + gz(f), 0)),
    ],
  ];
  return [
    "## dApp bundle",
    "",
    `\`npm run build -w frontend\` (vite), sizes of frontend/dist, gzip level 9. Built on: ${machine()}.`,
    "",
    table(["what", "files", "bytes", "gzip"], rows),
    "",
  ].join("\n");
}

// ------------------------------------------------------------------------------------------------
// The document
// ------------------------------------------------------------------------------------------------

const HEADER = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (scripts/bench.ts); `npm run bench -- --only gas` and the like rerun one part and keep the others. Gas figures are exact and checked by `npm test` (test/GasSnapshot.test.ts); times depend on the machine each section names.",
  "",
].join("\n");

const marker = (part: Part, end = false) => `<!-- bench:${end ? "/" : ""}${part} -->`;

function previousSections(): Partial<Record<Part, string>> {
  if (!existsSync(DOC)) return {};
  const text = readFileSync(DOC, "utf8");
  const sections: Partial<Record<Part, string>> = {};
  for (const part of PARTS) {
    const start = text.indexOf(marker(part));
    const end = text.indexOf(marker(part, true));
    if (start >= 0 && end > start)
      sections[part] = text.slice(start + marker(part).length, end).trim();
  }
  return sections;
}

/** What follows the last section: notes written by hand (before and after a change), kept as they are. */
function handWrittenNotes(): string {
  if (!existsSync(DOC)) return "";
  const text = readFileSync(DOC, "utf8");
  const last = marker(PARTS[PARTS.length - 1] as Part, true);
  const end = text.indexOf(last);
  return end < 0 ? "" : text.slice(end + last.length).trim();
}

function main(): void {
  const sections = previousSections();
  const notes = handWrittenNotes();
  const builders: Record<Part, () => string> = {
    gas: gasSection,
    indexer: indexerSection,
    audit: auditSection,
    bundle: bundleSection,
  };
  for (const part of selected) sections[part] = builders[part]();
  const body = PARTS.map(
    (part) =>
      `${marker(part)}\n${sections[part] ?? `## ${part}\n\nNot measured yet: \`npm run bench -- --only ${part}\`.`}\n${marker(part, true)}`,
  ).join("\n\n");
  const doc = `${HEADER}\n${body}\n${notes === "" ? "" : `\n${notes}\n`}`;
  writeFileSync(DOC, doc);
  // The repository's formatter has the last word on the tables, so `npm run format:check` passes.
  run("npx", ["prettier", "--write", "--log-level", "warn", DOC]);
  process.stdout.write(readFileSync(DOC, "utf8"));
}

main();
