/**
 * A reverse proxy on loopback in front of the local identity provider, which it announces as
 * its issuer (packages/identity-provider `issuer` option): every request of the relying party
 * and of the test's browser goes through it, and it can tamper with the token endpoint's
 * answer, as a man in the middle would (the SSO tampering tests).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type IdpTamper = "none" | "idTokenSignature";

export interface IdpProxy {
  url: string;
  /** The provider's own address, once it is started (requests wait for nothing before). */
  setTarget(url: string): void;
  tamper(mode: IdpTamper): void;
  close(): Promise<void>;
}

/** Flips one character of the token's signature (still base64url, no longer valid). */
export function breakSignature(jwt: string): string {
  const [header, payload, signature = ""] = jwt.split(".");
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

export async function startIdpProxy(): Promise<IdpProxy> {
  let target: URL | null = null;
  let mode: IdpTamper = "none";
  const server = http.createServer((req, res) => {
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const upstream = http.request(
        {
          host: target!.hostname,
          port: target!.port,
          method: req.method,
          path: req.url,
          // The Host header stays the proxy's: the provider builds its URLs from the issuer.
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (c: Buffer) => body.push(c));
          answer.on("end", () => {
            let text = Buffer.concat(body);
            const isToken = req.method === "POST" && req.url?.startsWith("/token");
            if (isToken && mode === "idTokenSignature" && answer.statusCode === 200) {
              const json = JSON.parse(text.toString("utf8")) as { id_token?: string };
              if (json.id_token) json.id_token = breakSignature(json.id_token);
              text = Buffer.from(JSON.stringify(json));
            }
            const headers = { ...answer.headers };
            delete headers["content-length"];
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 502, { ...headers, "content-length": text.length });
            res.end(text);
          });
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget(url) {
      target = new URL(url);
    },
    tamper(next) {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
