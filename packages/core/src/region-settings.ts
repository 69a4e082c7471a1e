/**
 * What a region is made of: its name (part of every LiteLLM team id on it), its proxy's URL
 * and master key. The API and the web's region form parse with these same schemas.
 */
import { z } from "zod";
import { zName } from "./names.ts";

/**
 * Region names become part of LiteLLM team ids (`<region>_<team id>`, see
 * litellm-identity.ts), so they keep to letters, digits, space, _ and -.
 */
export const REGION_NAME_MAX = 60;
export const REGION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _-]*$/;
export const ZRegionName = zName({
  max: REGION_NAME_MAX,
  pattern: {
    regex: REGION_NAME_PATTERN,
    error: "may contain letters, digits, space, _ and - only",
  },
});

export const ZLitellmBaseUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(500, { error: "must be at most 500 characters" });

export const LITELLM_MASTER_KEY_MIN = 8;
export const ZLitellmMasterKey = z
  .string()
  .min(LITELLM_MASTER_KEY_MIN, { error: `must be at least ${LITELLM_MASTER_KEY_MIN} characters` })
  .max(500, { error: "must be at most 500 characters" });
