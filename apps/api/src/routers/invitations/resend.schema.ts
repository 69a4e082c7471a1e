import { ZInvitation, ZInvitationIdInput } from "./shared.schema.ts";

export const ZInvitationsResendInput = ZInvitationIdInput;
export const ZInvitationsResendOutput = ZInvitation;
