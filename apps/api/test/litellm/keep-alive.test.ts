/**
 * The LiteLLM client over a real socket: a request on a kept-alive connection that the
 * proxy closes as the request arrives is retried on a new connection, not failed.
 */
import net from "node:net";
import { LiteLLMClient } from "@gatehouse/litellm";
import { describe, expect, it } from "vitest";

describe("keep-alive connections to a proxy", () => {
  // The client keeps connections alive, and a proxy closes an idle one when its keep-alive
  // timeout fires (Node's and uvicorn's: 5 s), possibly just as a request is sent on it.
  // That request fails with ECONNRESET / "socket hang up" although the proxy is fine, so
  // the client sends it once more on a new connection (every LiteLLM call is idempotent).
  it("a request on a keep-alive connection the proxy just closed is retried on a new one", async () => {
    // Answers the first request of each connection, and drops the connection on the second,
    // as a proxy does when its keep-alive timeout fires as the request arrives.
    const server = net.createServer((socket) => {
      let requests = 0;
      socket.on("data", (chunk: Buffer) => {
        if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
        if (++requests > 1) return void socket.destroy();
        const body = JSON.stringify({
          key: "x",
          info: { key_alias: null, key_name: null, team_id: "t", user_id: "u", metadata: {} },
        });
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
        );
      });
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = new LiteLLMClient({
      baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      masterKey: "sk-test-master-key",
    });
    try {
      await client.keyInfo("sk-first");
      await expect(client.keyInfo("sk-second")).resolves.toMatchObject({ teamId: "t" });
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
