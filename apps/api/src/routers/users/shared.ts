import type { PublicUser } from "@gatehouse/db";
import type { TUser } from "./shared.schema.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";

export function toUserOutput(user: PublicUser): TUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isSystemAdmin: user.isSystemAdmin,
    isActive: user.isActive,
    createdAt: toIso(user.createdAt),
    lastLoginAt: toIsoOrNull(user.lastLoginAt),
  };
}
