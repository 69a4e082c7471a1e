export {
  ZMemberInput as ZAddMemberInput,
  ZMembershipOut as ZAddMemberOutput,
} from "./shared.schema.ts";
