import { describe, expect, it } from "vitest";
import {
  LiteLLMError,
  classifyHttpFailure,
  classifyNetworkFailure,
  parseErrorBody,
  redact,
  type LiteLLMOperation,
} from "../src/errors.ts";

const proxy = (message: string, type = "internal_server_error", code = "400"): string =>
  JSON.stringify({ error: { message, type, param: "None", code } });

describe("classifyHttpFailure on LiteLLM's real answers", () => {
  it.each<[string, LiteLLMOperation, number, string, string, string]>([
    [
      "team exists",
      "createTeam",
      400,
      proxy("{'error': 'Team id = t already exists. Please use a different team id.'}"),
      "already_exists",
      "team_exists",
    ],
    [
      "all members present",
      "addTeamMembers",
      400,
      proxy("All users are already in team. Existing members=[]", "team_member_already_in_team"),
      "already_exists",
      "member_exists",
    ],
    [
      "legacy duplicate member",
      "addTeamMembers",
      400,
      proxy(
        "User with user_id=u already in team. Existing members=[]",
        "team_member_already_in_team",
      ),
      "already_exists",
      "member_exists",
    ],
    // Issue 26: a key moved to a team that lacks its models or has lower limits
    // (validate_key_team_change), and /team/member_update's escaped HTTPExceptions.
    [
      "moved key's model not open to the team (401 to a good master key)",
      "updateKey",
      401,
      proxy(
        "team not allowed to access model. This team can only access models=['a']. Tried to access b",
        "team_model_access_denied",
        "401",
      ),
      "rejected",
      "model_not_allowed",
    ],
    [
      "moved key's tpm_limit above the team's (403 to a good master key)",
      "updateKey",
      403,
      proxy(
        "Key=abc has a tpm_limit=5 which is greater than the team's tpm_limit=1.",
        "auth_error",
        "403",
      ),
      "rejected",
      "limit_above_team",
    ],
    [
      "member_update on an unknown team",
      "updateTeamMember",
      400,
      JSON.stringify({ detail: { error: "Team id=t does not exist in db" } }),
      "not_found",
      "team_not_found",
    ],
    [
      "member_update of an email no member has",
      "updateTeamMember",
      400,
      JSON.stringify({
        detail: { error: "User id doesn't exist in team table. Data=user_id=None" },
      }),
      "not_found",
      "member_not_found",
    ],
    [
      "member_update to admin without a licence (a string detail)",
      "updateTeamMember",
      400,
      JSON.stringify({
        detail:
          "Assigning team admins is a premium feature. You must be a LiteLLM Enterprise user to use this feature.",
      }),
      "rejected",
      "premium_feature",
    ],
    [
      "/key/regenerate without a licence (a 500 that is no outage)",
      "updateKey",
      500,
      proxy(
        "Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature.",
        "internal_server_error",
        "500",
      ),
      "rejected",
      "premium_feature",
    ],
    // team_member_delete's HTTPExceptions escape the route: FastAPI's detail shape.
    [
      "member_delete of someone not in the team",
      "removeTeamMember",
      400,
      JSON.stringify({ detail: { error: "User not found in team" } }),
      "not_found",
      "member_not_found",
    ],
    [
      "member_delete on an unknown team",
      "removeTeamMember",
      400,
      JSON.stringify({ detail: { error: "Team id=t does not exist in db" } }),
      "not_found",
      "team_not_found",
    ],
    [
      "member_add unknown team (FastAPI 404)",
      "addTeamMembers",
      404,
      JSON.stringify({ detail: { error: "Team not found for team_id=t" } }),
      "not_found",
      "team_not_found",
    ],
    // get_team_object raised a plain Exception, uncaught on /team/member_add: Starlette's text 500.
    [
      "member_add unknown team (uncaught 500)",
      "addTeamMembers",
      500,
      "Internal Server Error",
      "not_found",
      "team_not_found",
    ],
    // Current main: get_team_object raises HTTPException 404, uncaught on /team/member_add.
    [
      "member_add unknown team (current main)",
      "addTeamMembers",
      404,
      JSON.stringify({
        detail: { error: "Team doesn't exist in db. Team=t. Create team via `/team/new` call." },
      }),
      "not_found",
      "team_not_found",
    ],
    [
      "the same bare 500 elsewhere is a crash",
      "createTeam",
      500,
      "Internal Server Error",
      "unavailable",
      "server_error",
    ],
    [
      "team admin without a licence",
      "addTeamMembers",
      400,
      JSON.stringify({
        detail: {
          error:
            "Assigning team admins is a premium feature. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing",
        },
      }),
      "rejected",
      "premium_feature",
    ],
    [
      "premium check (403)",
      "generateKey",
      403,
      JSON.stringify({
        detail: {
          error:
            "You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env.",
        },
      }),
      "rejected",
      "premium_feature",
    ],
    [
      "licence team count used up (new_team)",
      "createTeam",
      403,
      proxy(
        "License is over limit. Please contact support@berri.ai to upgrade your license.",
        "internal_server_error",
        "403",
      ),
      "rejected",
      "licence_limit",
    ],
    [
      "proxy with no models (key team change)",
      "updateKey",
      400,
      proxy(
        "{'error': 'LLM router not found. Please set it up by passing in a valid config.yaml or adding models via the UI.'}",
        "auth_error",
      ),
      "rejected",
      "no_models",
    ],
    [
      "team update, team missing",
      "updateTeam",
      404,
      JSON.stringify({ detail: { error: "Team not found, passed team_id=t" } }),
      "not_found",
      "team_not_found",
    ],
    [
      "team delete, team missing",
      "deleteTeams",
      404,
      JSON.stringify({ detail: { error: "Team not found, passed team_id=t" } }),
      "not_found",
      "team_not_found",
    ],
    [
      "team info, team missing",
      "teamInfo",
      404,
      proxy("{'message': 'Team not found, passed team id: t.'}", "auth_error", "404"),
      "not_found",
      "team_not_found",
    ],
    [
      "team change, team missing (500)",
      "updateKey",
      500,
      proxy("{'error': 'Team object not found for team change validation'}", "auth_error", "500"),
      "not_found",
      "team_not_found",
    ],
    [
      "team change, team missing (older, 400)",
      "updateKey",
      400,
      proxy(
        "Authentication Error, Team doesn't exist in db. Team=t. Create team via `/team/new` call.",
        "auth_error",
      ),
      "not_found",
      "team_not_found",
    ],
    [
      "team change, owner not a member",
      "updateKey",
      403,
      proxy(
        "User=u is not a member of the team=t. Check team members via `/team/info`.",
        "auth_error",
        "403",
      ),
      "rejected",
      "not_team_member",
    ],
    [
      "update of a missing key (team-worded)",
      "updateKey",
      404,
      proxy("{'error': 'Team not found, passed team_id=t'}", "auth_error", "404"),
      "not_found",
      "key_not_found",
    ],
    [
      "generate for a missing team",
      "generateKey",
      400,
      proxy("Unable to find team object in database. Team ID: t"),
      "not_found",
      "team_not_found",
    ],
    [
      "alias taken",
      "generateKey",
      400,
      proxy(
        "Key with alias 'a' already exists. Unique key aliases across all keys are required.",
        "bad_request_error",
      ),
      "conflict",
      "alias_taken",
    ],
    [
      "delete, none found",
      "deleteKeys",
      404,
      proxy("{'error': 'No keys found'}", "internal_server_error", "404"),
      "not_found",
      "key_not_found",
    ],
    [
      "info, not found",
      "keyInfo",
      404,
      proxy("Key not found in database", "not_found_error", "404"),
      "not_found",
      "key_not_found",
    ],
    [
      "route missing",
      "deleteKeys",
      404,
      JSON.stringify({ detail: "Not Found" }),
      "protocol",
      "route_not_found",
    ],
    [
      "bad master key",
      "createTeam",
      401,
      proxy("Authentication Error, Invalid proxy server token passed.", "auth_error", "401"),
      "unauthorized",
      "bad_master_key",
    ],
    [
      "block of a key the proxy lacks (get_key_object)",
      "blockKey",
      401,
      proxy(
        "Authentication Error, Invalid proxy server token passed. key=ab12, not found in db. Create key via `/key/generate` call.",
        "token_not_found_in_db",
        "401",
      ),
      "not_found",
      "key_not_found",
    ],
    [
      "bad master key on a key route",
      "unblockKey",
      401,
      proxy(
        "Authentication Error, Invalid proxy server token passed. Received API Key = sk-...1234, Key Hash (Token) =ab12. Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
        "auth_error",
        "401",
      ),
      "unauthorized",
      "bad_master_key",
    ],
    [
      "master key lacks rights",
      "createTeam",
      403,
      proxy("User=x is not a Proxy Admin or Team Admin for team=t.", "auth_error", "403"),
      "unauthorized",
      "bad_master_key",
    ],
    [
      "pydantic 422",
      "addTeamMembers",
      422,
      JSON.stringify({
        detail: [{ loc: ["body", "team_id"], msg: "Field required", type: "missing" }],
      }),
      "rejected",
      "invalid_request",
    ],
    [
      "rate limited",
      "keyInfo",
      429,
      proxy("Rate limit exceeded", "None", "429"),
      "unavailable",
      "rate_limited",
    ],
    [
      "generic 500",
      "createTeam",
      500,
      proxy("Internal Server Error, boom"),
      "unavailable",
      "server_error",
    ],
    ["gateway text", "createTeam", 502, "<html>Bad Gateway</html>", "unavailable", "server_error"],
    ["gateway timeout", "createTeam", 504, "", "unavailable", "server_error"],
    ["redirect", "createTeam", 302, "", "protocol", "bad_response"],
  ])("%s -> %s/%s", (_name, operation, status, body, kind, reason) => {
    expect(classifyHttpFailure(operation, status, parseErrorBody(body))).toEqual({ kind, reason });
  });
});

describe("parseErrorBody", () => {
  it.each([
    [proxy("{'error': 'No keys found'}"), "No keys found", "internal_server_error"],
    [proxy(`{'error': "it's here"}`), "it's here", "internal_server_error"],
    [proxy("plain"), "plain", "internal_server_error"],
    [JSON.stringify({ detail: "Not Found" }), "Not Found", undefined],
    [JSON.stringify({ detail: { error: "inner" } }), "inner", undefined],
    [
      JSON.stringify({
        detail: [{ loc: ["body", "member", 0, "role"], msg: "Input should be 'admin' or 'user'" }],
      }),
      "body.member.0.role: Input should be 'admin' or 'user'",
      undefined,
    ],
    [JSON.stringify({ error: "flat" }), "flat", undefined],
    ["Internal Server Error", "Internal Server Error", undefined],
    ["", undefined, undefined],
  ])("%s -> message %j", (body, message, type) => {
    expect(parseErrorBody(body)).toMatchObject({ message, type });
  });
});

describe("classifyNetworkFailure", () => {
  const withCause = (code: string): Error =>
    new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
  it.each([
    [new DOMException("The operation was aborted due to timeout", "TimeoutError"), "timeout"],
    [Object.assign(new Error("aborted"), { name: "AbortError" }), "timeout"],
    [withCause("UND_ERR_HEADERS_TIMEOUT"), "timeout"],
    [withCause("ECONNREFUSED"), "unavailable"],
    [withCause("ECONNRESET"), "unavailable"],
    [withCause("UND_ERR_SOCKET"), "unavailable"],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "unavailable"],
  ])("%s -> %s", (error, kind) => {
    expect(classifyNetworkFailure(error).kind).toBe(kind);
  });
});

describe("redact", () => {
  const master = "sk-master-SECRET-9876";
  it.each([
    [`bad key ${master} here`, "bad key [redacted] here"],
    [
      "Received API Key = sk-...9876, Key Hash (Token) =ab12cd. Unable",
      "Received API Key = [redacted], Key Hash (Token) =[redacted]. Unable",
    ],
    ["virtual key sk-AbC_123-xyz leaked", "virtual key sk-[redacted] leaked"],
    ["token 6b2cd355 stays", "token 6b2cd355 stays"],
  ])("%j -> %j", (input, output) => {
    expect(redact(input, master)).toBe(output);
  });

  it("caps very long messages", () => {
    expect(redact("x".repeat(2000), master).length).toBeLessThanOrEqual(501);
  });
});

describe("LiteLLMError", () => {
  it.each([
    ["unavailable", true],
    ["timeout", true],
    ["unauthorized", false],
    ["rejected", false],
    ["not_found", false],
    ["conflict", false],
    ["already_exists", false],
    ["protocol", false],
  ] as const)("%s is retryable: %s", (kind, retryable) => {
    const error = new LiteLLMError("m", { kind, reason: "server_error", operation: "createTeam" });
    expect(error.retryable).toBe(retryable);
    expect(error.toJSON()).toMatchObject({ kind, retryable, name: "LiteLLMError" });
  });
});
