export { findSessionFacts, touchSession, type SessionFacts } from "./lookup.ts";
export {
  findSessionOwner,
  insertSession,
  listLiveSessions,
  revokeIdpSessions,
  revokeSession,
  revokeUserSessions,
  type NewSession,
} from "./store.ts";
export {
  AUTH_CHANGES_CHANNEL,
  watchAuthChanges,
  type AuthChangeHandlers,
  type AuthChangeWatch,
  type AuthChangeWatchOptions,
} from "./auth-changes.ts";
