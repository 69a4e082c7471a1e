import type { IdpPerson } from "./types.ts";

/**
 * The people of the demo IdP: newcomers of Acme (acme.example), none of them known to Gatehouse
 * before their first sign-in. Their groups are what the demo organization's group rules map
 * (`platform-admins` to organization admin, `ml-team` and `ml-readers` to a team). Mallory's email
 * is unverified, so the demo shows such a claim being refused.
 */
export const DEMO_PEOPLE: readonly IdpPerson[] = Object.freeze([
  {
    sub: "idp-hedy",
    email: "hedy@acme.example",
    emailVerified: true,
    name: "Hedy Lamarr",
    password: "hedy-sso-demo",
    groups: ["platform-admins", "ml-team"],
  },
  {
    sub: "idp-katherine",
    email: "katherine@acme.example",
    emailVerified: true,
    name: "Katherine Johnson",
    password: "katherine-sso-demo",
    groups: ["ml-team"],
  },
  {
    sub: "idp-edsger",
    email: "edsger@acme.example",
    emailVerified: true,
    name: "Edsger Dijkstra",
    password: "edsger-sso-demo",
    groups: ["ml-readers"],
  },
  {
    sub: "idp-mallory",
    email: "mallory@acme.example",
    emailVerified: false,
    name: "Mallory Unverified",
    password: "mallory-sso-demo",
    groups: ["ml-team"],
  },
]);
