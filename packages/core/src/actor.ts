/**
 * Who is calling, reduced to what authorization needs. Built once per request by the API
 * from a session or a service token; every policy below is a pure function of it.
 *
 * Checks are positive: a function returns true only on proof of the right.
 */
export type Actor =
  | {
      kind: "user";
      userId: string;
      isSystemAdmin: boolean;
      /** Organizations where the user is ORG_ADMIN. */
      adminOrgIds: readonly string[];
      sessionId: string;
    }
  | {
      kind: "service";
      serviceTokenId: string;
      /** Admin-scoped tokens act as a system admin. */
      isSystemAdmin: boolean;
      /** An organization-scoped token administers exactly that organization. */
      adminOrgIds: readonly string[];
    };

export function isOrgAdmin(actor: Actor, organizationId: string): boolean {
  return actor.isSystemAdmin || actor.adminOrgIds.includes(organizationId);
}

/**
 * Who an audit event names: an actor, or a person acting without a session (an invitation
 * link accepted for an existing account).
 */
export type AuditActor = Actor | { kind: "user"; userId: string };

/** Audit columns for an actor. */
export function auditActor(actor: AuditActor): {
  actorUserId: string | null;
  actorServiceTokenId: string | null;
} {
  return actor.kind === "user"
    ? { actorUserId: actor.userId, actorServiceTokenId: null }
    : { actorUserId: null, actorServiceTokenId: actor.serviceTokenId };
}
