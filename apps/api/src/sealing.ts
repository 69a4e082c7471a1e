/**
 * Sealing at rest across a process's life: at start-up every region master key still in
 * clear is sealed under GATEHOUSE_SECRETS_KEY (rows written before sealing existed, by the
 * demo seed, or by hand), and a process refuses to start when it could neither seal nor
 * open them; `gatehouse reseal-secrets` re-seals every secret under the current key, the
 * last step of a key rotation (README "Rotating GATEHOUSE_SECRETS_KEY").
 *
 * Why at start-up rather than in a migration: the operator key lives only in the app's
 * environment, never in the database, so SQL cannot seal. A clear value is told from a
 * sealed one by its format (secrets.ts isSealed; a master key is `sk-...`).
 */
import { replaceStoredSecret, storedSecrets, type Database, type SecretPlace } from "@gatehouse/db";
import { ConfigError, type AppConfig } from "./config.ts";
import {
  isSealed,
  masterKeyBinding,
  openingKeys,
  openMasterKey,
  openSecret,
  openSecretWithAny,
  sealSecret,
  storedMasterKey,
} from "./secrets.ts";

type KeyConfig = Pick<AppConfig, "secretsKey" | "previousSecretsKeys">;

async function* everyStored(db: Database, place: SecretPlace) {
  let after: string | null = null;
  for (;;) {
    const batch = await storedSecrets(db, place, after);
    if (batch.length === 0) return;
    yield* batch;
    after = batch.at(-1)!.id;
  }
}

/**
 * Seals every region master key still in clear, and checks each sealed one opens. Throws a
 * one-line ConfigError when master keys are in clear and there is no key to seal them
 * with, or when a sealed one opens under none of the configured keys. Returns how many it
 * sealed.
 */
export async function sealMasterKeysAtStart(db: Database, config: KeyConfig): Promise<number> {
  const keys = openingKeys(config);
  let clear = 0;
  let sealed = 0;
  let unopenable = 0;
  for await (const region of everyStored(db, "regionMasterKey")) {
    if (isSealed(region.value)) {
      try {
        openMasterKey(keys, region.id, region.value);
      } catch {
        unopenable += 1;
      }
    } else if (config.secretsKey) {
      const to = storedMasterKey(config.secretsKey, region.id, region.value);
      if (await replaceStoredSecret(db, "regionMasterKey", region.id, region.value, to))
        sealed += 1;
    } else {
      clear += 1;
    }
  }
  if (clear > 0) {
    throw new ConfigError(
      `GATEHOUSE_SECRETS_KEY is unset and ${clear} region master key(s) are stored in clear: set it (32 bytes, e.g. \`openssl rand -hex 32\`) and start again, which seals them`,
    );
  }
  if (unopenable > 0) {
    throw new ConfigError(
      `${unopenable} region master key(s) open under neither GATEHOUSE_SECRETS_KEY nor GATEHOUSE_SECRETS_KEY_PREVIOUS: set the key they were sealed with`,
    );
  }
  return sealed;
}

export interface ResealReport {
  /** Values now sealed under the current key that were not before, per place. */
  resealed: Record<SecretPlace, number>;
  /** Values no configured key opens (left as they are), per place. */
  unopenable: Record<SecretPlace, number>;
}

/**
 * Seals every secret again under the current key: master keys (clear ones too), key
 * secrets and the secrets of restore jobs not yet done. Values already under the current
 * key are left alone, so running it twice changes nothing the second time.
 */
export async function resealSecrets(db: Database, config: KeyConfig): Promise<ResealReport> {
  const current = config.secretsKey;
  if (!current) throw new ConfigError("reseal-secrets needs GATEHOUSE_SECRETS_KEY (the new key)");
  const keys = openingKeys(config);
  const places: SecretPlace[] = [
    "regionMasterKey",
    "keySecret",
    "restoreJobSecret",
    "idpClientSecret",
    "webhookSecret",
    "webhookPreviousSecret",
  ];
  const report: ResealReport = {
    resealed: {
      regionMasterKey: 0,
      keySecret: 0,
      restoreJobSecret: 0,
      idpClientSecret: 0,
      webhookSecret: 0,
      webhookPreviousSecret: 0,
    },
    unopenable: {
      regionMasterKey: 0,
      keySecret: 0,
      restoreJobSecret: 0,
      idpClientSecret: 0,
      webhookSecret: 0,
      webhookPreviousSecret: 0,
    },
  };
  for (const place of places) {
    const binding = (id: string, bound: string) =>
      place === "regionMasterKey" ? masterKeyBinding(id) : bound;
    for await (const stored of everyStored(db, place)) {
      let secret: string;
      if (place === "regionMasterKey" && !isSealed(stored.value)) {
        secret = stored.value;
      } else {
        const aad = binding(stored.id, stored.binding);
        try {
          openSecret(current, stored.value, aad);
          continue;
        } catch {
          // Not under the current key: open it with a previous one below.
        }
        try {
          secret = openSecretWithAny(keys, stored.value, aad);
        } catch {
          report.unopenable[place] += 1;
          continue;
        }
      }
      const to = sealSecret(current, secret, binding(stored.id, stored.binding));
      if (await replaceStoredSecret(db, place, stored.id, stored.value, to))
        report.resealed[place] += 1;
    }
  }
  return report;
}
