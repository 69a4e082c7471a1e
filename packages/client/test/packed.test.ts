/**
 * @gatehouse/client as another repository gets it: `pnpm pack` builds the tarball, which is
 * installed with npm into a scratch project outside the workspace (its only dependencies,
 * @trpc/client and @trpc/server, come from the npm registry, with @types/node as a Node
 * service would have). There, TypeScript (NodeNext, strict) accepts a correct call and rejects wrong ones, and the correct
 * one runs against a live Gatehouse with a service token. Slow (an npm install): its own
 * file, one test.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertServiceToken, insertUser } from "../../../apps/api/test/support/fixtures.ts";
import { startHarness, type Harness } from "../../../apps/api/test/support/harness.ts";

const clientRoot = path.resolve(import.meta.dirname, "..");
const workspaceRoot = path.resolve(clientRoot, "../..");
// The compiler is a tool here, not a dependency of the scratch project.
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/**
 * pnpm itself: the one running this test when started by `pnpm test` / turbo (npm start's
 * runner may have fetched it with npx, so it need not be on PATH), else from PATH.
 */
const pnpm: [string, ...string[]] =
  process.env.npm_execpath && /pnpm/.test(path.basename(process.env.npm_execpath))
    ? [process.execPath, process.env.npm_execpath]
    : ["pnpm"];

let scratch: string;
let h: Harness;

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 240_000 });
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  expect(
    result.status,
    `${what} failed:\n${result.stdout}\n${result.stderr}\n${result.error ?? ""}`,
  ).toBe(0);
  return result.stdout;
}

/** Like run(), without blocking: the server the program calls lives in this process. */
function runAsync(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

const consumerSources = {
  "good.ts": `
import { createGatehouseClient, isGatehouseClientError, type RouterInputs, type RouterOutputs } from "@gatehouse/client";

const client = createGatehouseClient({ url: process.env.GATEHOUSE_URL!, token: process.env.GATEHOUSE_TOKEN! });
const input: RouterInputs["users"]["list"] = { pageSize: 5 };
const me: RouterOutputs["auth"]["me"] = await client.auth.me.query();
const page = await client.users.list.query(input);
const emails: string[] = page.items.map((user) => user.email);
const createdAt: string | undefined = page.items[0]?.createdAt;
try {
  await client.users.create.mutate({ email: "not-an-email", name: "N", password: "short" });
} catch (error) {
  if (!isGatehouseClientError(error)) throw error;
  const fields: Record<string, string[]> | null | undefined = error.data?.fieldErrors;
  console.log(JSON.stringify({ kind: me.kind, total: page.total, emails, createdAt, refused: error.data?.code, fields: Object.keys(fields ?? {}) }));
}
`,
  "bad.ts": `
import { createGatehouseClient } from "@gatehouse/client";

const client = createGatehouseClient({ url: "http://127.0.0.1:1", token: "ghst_x" });
await client.users.list.query({ pageSize: "five" });
await client.teams.noSuchProcedure.query();
const kind: number = (await client.auth.me.query()).kind;
await client.users.create.mutate({ email: "a@b.example" });
export { kind };
`,
};

beforeAll(async () => {
  if (process.env.GATEHOUSE_TEST_DATABASE_URL) return;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-client-consumer-"));
  expect(scratch.startsWith(workspaceRoot)).toBe(false);
  // `pnpm pack` runs the prepack build.
  const packed = must(
    run(pnpm[0], [...pnpm.slice(1), "pack", "--pack-destination", scratch], clientRoot),
    "pnpm pack",
  );
  const tarball = fs.readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  expect(tarball, packed).toBeDefined();

  fs.writeFileSync(
    path.join(scratch, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  fs.writeFileSync(
    path.join(scratch, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        lib: ["ES2023", "DOM"],
        types: ["node"],
        // As most projects do: @trpc/server's own declarations need more than this project has
        // (the ws package's types). Our declarations are checked on their own by build.mjs, and
        // a broken one would turn the router into \`any\`, which the wrong calls below would catch.
        skipLibCheck: true,
        outDir: "out",
        rootDir: ".",
      },
      files: ["good.ts"],
    }),
  );
  fs.writeFileSync(
    path.join(scratch, "tsconfig.bad.json"),
    JSON.stringify({
      extends: "./tsconfig.json",
      compilerOptions: { noEmit: true },
      files: ["bad.ts"],
    }),
  );
  for (const [name, source] of Object.entries(consumerSources))
    fs.writeFileSync(path.join(scratch, name), source);
  must(
    run(
      "npm",
      [
        "install",
        `./${tarball}`,
        "@types/node@20",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--no-package-lock",
        "--loglevel=error",
      ],
      scratch,
    ),
    "npm install of the tarball",
  );

  h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

// The wire is the same on every database backend: once (on PGlite) is enough for this one.
const once = process.env.GATEHOUSE_TEST_DATABASE_URL ? describe.skip : describe;

once("the packed client, outside the workspace", () => {
  it("installs without the API's sources, typechecks a correct call, rejects wrong ones, and runs", async () => {
    const installed = path.join(scratch, "node_modules", "@gatehouse", "client");
    expect(fs.readdirSync(path.join(installed, "dist")).sort()).toEqual([
      "app-router.d.ts",
      "index.d.ts",
      "index.js",
    ]);
    expect(fs.existsSync(path.join(scratch, "node_modules", "@gatehouse", "api"))).toBe(false);
    expect(fs.readFileSync(path.join(installed, "dist", "app-router.d.ts"), "utf8")).not.toMatch(
      /@gatehouse\/|prisma|pino/i,
    );

    // The correct call compiles (and is emitted to run below).
    must(
      run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmitOnError"], scratch),
      "tsc good.ts",
    );

    // Each wrong call is a compile error, on its own line.
    const bad = run(process.execPath, [tsc, "-p", "tsconfig.bad.json"], scratch);
    expect(bad.status).not.toBe(0);
    const errorLines = new Set(
      [...bad.stdout.matchAll(/^bad\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1])),
    );
    expect(
      [...errorLines].sort((a, b) => a - b),
      bad.stdout,
    ).toEqual([5, 6, 7, 8]);
    expect(bad.stdout).not.toMatch(/^good\.ts/m);
    expect(bad.stdout).not.toMatch(/node_modules/);

    await insertUser(h.db, { email: "someone@consumer.example.com" });
    const token = await insertServiceToken(h.db, { admin: true });
    const ran = await runAsync(process.execPath, [path.join(scratch, "out", "good.js")], scratch, {
      ...process.env,
      GATEHOUSE_URL: h.url,
      GATEHOUSE_TOKEN: token,
    });
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout.trim())).toEqual({
      kind: "service",
      total: expect.any(Number),
      // The token's creator (an active system admin, or the token would answer 401) is a user too.
      emails: expect.arrayContaining(["someone@consumer.example.com"]),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      refused: "BAD_REQUEST",
      fields: expect.arrayContaining(["email", "password"]),
    });
  });
});
