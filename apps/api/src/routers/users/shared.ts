import type { UserVisibility } from "@gatehouse/core";
import type { Prisma } from "@gatehouse/db";
import type { TUser } from "./shared.schema.ts";
import { toIso, toIsoOrNull } from "../shared.schema.ts";

/** The only columns of a user a procedure may return: never the password hash. */
export const userPublicSelect = {
  id: true,
  email: true,
  name: true,
  isSystemAdmin: true,
  isActive: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

export function toUserOutput(user: {
  id: string;
  email: string;
  name: string;
  isSystemAdmin: boolean;
  isActive: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}): TUser {
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

/** The people a caller may see (core userVisibility), as a filter on users. */
export function visibleUsersWhere(visibility: UserVisibility): Prisma.UserWhereInput {
  switch (visibility.kind) {
    case "everyone":
      return {};
    case "sharesOrganizationWith":
      return {
        orgMemberships: {
          some: { organization: { members: { some: { userId: visibility.userId } } } },
        },
      };
    case "membersOf":
      return {
        orgMemberships: { some: { organizationId: { in: [...visibility.organizationIds] } } },
      };
  }
}
