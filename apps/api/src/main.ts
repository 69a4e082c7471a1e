/**
 * `npm start`: all of Gatehouse in one process for a newcomer: the database (embedded
 * PGlite unless DATABASE_URL is set), migrations, the demo (seed + a LiteLLM contract
 * server for its region + a local OpenID provider as Acme Corp's single sign-on) on an
 * empty embedded database, the job worker, and the API
 * serving the web app. In production run API instances (`start`) and workers (`worker`)
 * separately against one PostgreSQL: see README "Scaling out".
 */
import fs from "node:fs";
import path from "node:path";
import { embeddedDataDir, findRegionByName, setRegionConnection } from "@gatehouse/db";
import { seedDemo } from "@gatehouse/db/data";
import { startContractServer } from "@gatehouse/litellm/contract-server";
import { hashPassword } from "./auth/password.ts";
import { rehydrateDemoLiteLLM } from "./demo.ts";
import { plantDemoSpend } from "./demo-spend.ts";
import { createProcessDeps } from "./deps.ts";
import { exitWithError } from "./fatal.ts";
import { startMetricsServer } from "./http/metrics-server.ts";
import { mailDestinationLine } from "./mail/transport.ts";
import { Metrics } from "./metrics.ts";
import { sealMasterKeysAtStart } from "./sealing.ts";
import { storedMasterKey } from "./secrets.ts";
import { startHttpServer } from "./server.ts";
import { startWorker, workerPolicy } from "./worker/worker.ts";

const DEMO_REGION = "Local Demo";

async function main(): Promise<void> {
  const deps = await createProcessDeps();
  const { db, config, logger } = deps;
  const stoppers: Array<() => Promise<void>> = [];

  const demo = Boolean(db.embedded) || config.demo.enabled;
  let banner =
    "Create an administrator with: pnpm gatehouse create-admin --email <e> --password <p>";
  if (demo) {
    const masterKey = config.demo.litellmMasterKey;
    const litellm = await startContractServer({ port: config.demo.litellmPort, masterKey });
    stoppers.push(() => litellm.stop());
    const seeded = await seedDemo(db, {
      hashPassword,
      region: { name: DEMO_REGION, baseUrl: litellm.url, masterKey },
    });
    // The region may predate this run's contract server port.
    const region = await findRegionByName(db, DEMO_REGION);
    if (region) {
      await setRegionConnection(db, region.id, {
        litellmBaseUrl: litellm.url,
        litellmMasterKey: storedMasterKey(config.secretsKey, region.id, masterKey),
      });
    }
    // A fresh seed queued the team pushes itself.
    const keys = await rehydrateDemoLiteLLM(db, litellm, DEMO_REGION, {
      pushTeamState: !seeded.seeded,
    });
    // A month of made-up traffic, so spend panels, charts and alerts have something to show.
    await plantDemoSpend(db, litellm, DEMO_REGION, config.defaultEntitlement);
    const credentialsFile = path.join(
      path.dirname(embeddedDataDir(config.database.dataDir)),
      "demo-credentials.txt",
    );
    if (seeded.seeded) {
      // With DATABASE_URL set the embedded database never created the data folder.
      fs.mkdirSync(path.dirname(credentialsFile), { recursive: true, mode: 0o700 });
      const lines = seeded.credentials.map((c) => `${c.email}  ${c.password}  (${c.role})`);
      fs.writeFileSync(credentialsFile, `${lines.join("\n")}\n`, { mode: 0o600 });
    }
    // The demo IdP's people: added to the file of an older data folder too.
    // Loaded only for the demo: oidc-provider (and Koa under it) is no part of a production start.
    const { demoSsoCredentialLines, startDemoSso } = await import("./demo-sso.ts");
    const sso = await startDemoSso(deps);
    if (sso.started) {
      stoppers.push(() => sso.idp.close());
      const ssoLines = demoSsoCredentialLines();
      const known = fs.existsSync(credentialsFile) ? fs.readFileSync(credentialsFile, "utf8") : "";
      const missing = ssoLines.filter((line) => !known.includes(line.split("  ")[0]!));
      if (missing.length > 0 && known !== "")
        fs.appendFileSync(credentialsFile, `${missing.join("\n")}\n`);
      logger.info({ issuer: sso.idp.issuer }, "demo identity provider running");
    } else {
      logger.warn({ reason: sso.reason }, "demo single sign-on not started");
    }
    // The demo's receiver is plain http on loopback: the demo allows that for itself only
    // (GATEHOUSE_WEBHOOKS_ALLOW_HTTP stays off by default everywhere else).
    config.webhooks = { ...config.webhooks, allowHttp: true };
    const { demoWebhookCredentialLine, startDemoWebhooks } = await import("./demo-webhooks.ts");
    const hooks = await startDemoWebhooks({
      db,
      config,
      secretFile: path.join(path.dirname(credentialsFile), "demo-webhook-secret.txt"),
    });
    if (hooks.started) {
      stoppers.push(() => hooks.receiver.close());
      const line = demoWebhookCredentialLine(hooks.receiver.url, hooks.secretFile);
      const known = fs.existsSync(credentialsFile) ? fs.readFileSync(credentialsFile, "utf8") : "";
      if (known !== "" && !known.includes(line)) fs.appendFileSync(credentialsFile, `${line}\n`);
      logger.info(
        { receiver: hooks.receiver.url, endpointCreated: hooks.created },
        "demo webhook receiver running",
      );
    } else {
      logger.warn({ reason: hooks.reason }, "demo webhook receiver not started");
    }
    if (fs.existsSync(credentialsFile)) {
      const lines = fs.readFileSync(credentialsFile, "utf8").trim().split("\n");
      banner = `Demo logins (also in ${credentialsFile}):\n  ${lines.join("\n  ")}`;
    }
    logger.info({ litellm: litellm.url, keys }, "demo LiteLLM contract server running");
  }

  // Master keys in clear (older rows, the demo seed) are sealed before anything serves.
  const sealed = await sealMasterKeysAtStart(db, config);
  if (sealed > 0) logger.info({ sealed }, "region master keys sealed");

  // GATEHOUSE_WORKER=off runs the API alone, for deployments that scale API instances and
  // standalone workers (`worker`) separately; jobs are then picked up by polling workers.
  const metrics = new Metrics(db);
  const worker = config.worker
    ? startWorker(deps, {
        ...config.worker,
        ...workerPolicy(config),
        observeLiteLLM: (region) => metrics.litellmObserver(region),
        onMergesSettled: (outcome, count) => metrics.mergesSettled(outcome, count),
      })
    : null;
  if (worker) logger.info({ worker: worker.id, ...config.worker }, "worker started");
  const http = await startHttpServer(
    { ...deps, metrics, ...(worker ? { jobs: worker } : {}) },
    { port: config.port, host: config.host },
  );
  if (config.metrics.address) {
    const metricsServer = await startMetricsServer(metrics, config.metrics.address);
    stoppers.push(() => metricsServer.stop());
    logger.info({ url: metricsServer.url }, "metrics listener running");
  }
  // Stop taking requests first (a request may enqueue jobs), then finish the jobs in
  // flight, then the rest: the demo's LiteLLM must outlive the worker's calls to it.
  stoppers.unshift(...(worker ? [() => worker.stop()] : []));
  stoppers.unshift(() => http.stop());

  console.log(
    [
      "",
      `Gatehouse is running at ${http.url}`,
      `Database: ${db.embedded ? `embedded PGlite in ${embeddedDataDir(config.database.dataDir)} (psql "${db.url}")` : "DATABASE_URL"}`,
      // Where invitations and reset links go: with no SMTP, system admins read them there.
      mailDestinationLine(config, http.port),
      banner,
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    for (const stop of stoppers)
      await stop().catch((err: unknown) => logger.error({ err }, "stop failed"));
    await db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch(exitWithError);
