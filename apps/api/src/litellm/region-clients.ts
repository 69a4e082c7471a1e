/**
 * One LiteLLM client per region, cached briefly and rebuilt when the region's URL or
 * master key changes (a rotated key takes effect within seconds, without a restart). The
 * master key is stored sealed (secrets.ts); it is opened here, in memory only.
 */
import crypto from "node:crypto";
import { findRegionConnection, type Database } from "@gatehouse/db";
import { LiteLLMClient, type LiteLLMCallObserver } from "@gatehouse/litellm";
import { openMasterKey } from "../secrets.ts";

/** Gives the observer for one region's client (metrics), by region name. */
export type RegionObserverFactory = (regionName: string) => LiteLLMCallObserver;

const CACHE_MS = 5_000;

interface Entry {
  client: LiteLLMClient;
  fingerprint: string;
  loadedAt: number;
}

export class RegionClients {
  readonly #entries = new Map<string, Entry>();
  /** Reloads under way: the worker's 32 slots asking at once when the entry ages share one. */
  readonly #loading = new Map<string, Promise<LiteLLMClient>>();
  constructor(
    private readonly db: Database,
    private readonly timeoutMs = 10_000,
    private readonly observe?: RegionObserverFactory,
    /** The keys that open sealed master keys, the current one first. */
    private readonly secretsKeys: readonly Buffer[] = [],
  ) {}

  get(regionId: string): Promise<LiteLLMClient> {
    const cached = this.#entries.get(regionId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return Promise.resolve(cached.client);
    let loading = this.#loading.get(regionId);
    if (!loading) {
      loading = this.#load(regionId).finally(() => this.#loading.delete(regionId));
      this.#loading.set(regionId, loading);
    }
    return loading;
  }

  async #load(regionId: string): Promise<LiteLLMClient> {
    const cached = this.#entries.get(regionId);
    const region = await findRegionConnection(this.db, regionId);
    const fingerprint = crypto
      .createHash("sha256")
      .update(`${region.name}\n${region.litellmBaseUrl}\n${region.litellmMasterKey}`)
      .digest("hex");
    if (cached?.fingerprint === fingerprint) {
      cached.loadedAt = Date.now();
      return cached.client;
    }
    cached?.client.close();
    const client = new LiteLLMClient({
      baseUrl: region.litellmBaseUrl,
      masterKey: openMasterKey(this.secretsKeys, regionId, region.litellmMasterKey),
      timeoutMs: this.timeoutMs,
      ...(this.observe ? { observer: this.observe(region.name) } : {}),
    });
    this.#entries.set(regionId, { client, fingerprint, loadedAt: Date.now() });
    return client;
  }

  close(): void {
    for (const { client } of this.#entries.values()) client.close();
    this.#entries.clear();
  }
}

const shared = new WeakMap<Database, RegionClients>();
const observers = new WeakMap<Database, RegionObserverFactory>();

/** Reports the LiteLLM calls of procedures on this database to `observe` (the app's metrics). */
export function observeRegionClients(db: Database, observe: RegionObserverFactory): void {
  observers.set(db, observe);
}

/**
 * The process-wide cache for a database (API procedures share it); `secretsKeys` open the
 * sealed master keys (one process has one configuration, so the first call's keys stand).
 */
export function regionClientsFor(db: Database, secretsKeys: readonly Buffer[]): RegionClients {
  let clients = shared.get(db);
  if (!clients) {
    clients = new RegionClients(db, undefined, observers.get(db), secretsKeys);
    shared.set(db, clients);
  }
  return clients;
}
