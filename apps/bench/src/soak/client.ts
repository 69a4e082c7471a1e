/** The soak clients' tRPC over keep-alive HTTP, as a persona (session cookie). */
import http from "node:http";
import type { Persona } from "../teams-list/personas.ts";

export interface Answer {
  status: number;
  body: string;
}

export function makeClient(api: URL, clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
  return function trpc(
    type: "query" | "mutation",
    procedure: string,
    input: unknown,
    persona: Persona,
  ): Promise<Answer> {
    const query =
      type === "query" && input !== undefined
        ? `?input=${encodeURIComponent(JSON.stringify(input))}`
        : "";
    const body = type === "mutation" && input !== undefined ? JSON.stringify(input) : undefined;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: api.hostname,
          port: api.port,
          path: `/trpc/${procedure}${query}`,
          method: type === "query" ? "GET" : "POST",
          agent,
          headers: {
            cookie: `gh_session=${persona.token}`,
            ...(body !== undefined
              ? {
                  "content-type": "application/json",
                  "x-gatehouse-csrf": "1",
                  "content-length": Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
        },
      );
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}

export type Trpc = ReturnType<typeof makeClient>;
