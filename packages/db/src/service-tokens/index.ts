export {
  findServiceTokenAuthority,
  liveServiceTokensOfCreator,
  touchServiceToken,
  type ServiceTokenAuthorityRow,
} from "./authority.ts";
export {
  findServiceToken,
  insertServiceToken,
  listServiceTokens,
  revokeServiceToken,
  serviceTokenCreatorId,
  type NewServiceToken,
  type ServiceTokenRecord,
} from "./store.ts";
