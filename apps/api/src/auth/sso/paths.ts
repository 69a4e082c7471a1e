/** The browser endpoints of single sign-on (apps/api/src/http/sso.ts serves them). */
export const SSO_START_PATH = "/auth/sso/start";
/** The redirect URI of every provider: `<GATEHOUSE_PUBLIC_URL>/auth/sso/callback`. */
export const SSO_CALLBACK_PATH = "/auth/sso/callback";
export const SSO_BACKCHANNEL_LOGOUT_PATH = "/auth/sso/backchannel-logout";
