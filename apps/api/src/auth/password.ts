/**
 * Password hashing with argon2id (OWASP's recommended parameters: 19 MiB, 2 passes).
 * Login verifies against a fixed dummy hash when the email is unknown, so both failures
 * take the same time and give the same answer.
 */
import { hash, verify } from "@node-rs/argon2";

const Algorithm = { Argon2id: 2 } as const;
const options = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, options);
}

export async function verifyPassword(passwordHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(passwordHash, plain);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time a real verification would, for an unknown account. */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummyHash ??= hashPassword("gatehouse-dummy-password-for-timing");
  await verifyPassword(await dummyHash, plain);
  return false;
}
