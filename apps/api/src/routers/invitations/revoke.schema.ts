import { ZInvitation, ZInvitationIdInput } from "./shared.schema.ts";

export const ZInvitationsRevokeInput = ZInvitationIdInput;
export const ZInvitationsRevokeOutput = ZInvitation;
