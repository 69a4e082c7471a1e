import { ZMemberInput, ZMembershipOut } from "./shared.schema.ts";

export const ZSetMemberRoleInput = ZMemberInput.required({ role: true });
export { ZMembershipOut as ZSetMemberRoleOutput };
