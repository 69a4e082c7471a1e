import { forbidden, type Actor } from "@gatehouse/core";

/** Notifications are a person's: a service token has none (and no mail to opt out of). */
export function personOf(actor: Actor): string {
  if (actor.kind !== "user") throw forbidden("Service tokens have no notifications");
  return actor.userId;
}
