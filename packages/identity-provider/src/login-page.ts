/**
 * The provider's own sign-in page (oidc-provider's dev interactions are off): one form, labelled
 * fields, and an error announced to screen readers, so the axe-checked demo stays accessible.
 */

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export interface LoginPageInput {
  action: string;
  clientName: string;
  login?: string;
  error?: string;
}

export function renderLoginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<p id="login-error" class="error" role="alert">${escapeHtml(input.error)}</p>`
    : "";
  const described = input.error ? ' aria-describedby="login-error" aria-invalid="true"' : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Local identity provider</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f4f5; color: #18181b; margin: 0; }
  main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 0.5rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; margin-top: 0.25rem; }
  button { margin-top: 1.5rem; width: 100%; padding: 0.6rem; font-size: 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: 0.25rem; }
  .error { color: #b91c1c; font-weight: 600; }
  .hint { color: #52525b; }
</style>
</head>
<body>
<main>
  <h1>Sign in to the local identity provider</h1>
  <p class="hint">${escapeHtml(input.clientName)} asks who you are.</p>
  ${error}
  <form method="post" action="${escapeHtml(input.action)}">
    <label for="login">Email</label>
    <input id="login" name="login" type="email" autocomplete="username" required autofocus value="${escapeHtml(input.login ?? "")}"${described}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required${described}>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>`;
}
