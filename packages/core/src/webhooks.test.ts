import { describe, expect, it } from "vitest";
import {
  checkWebhookUrl,
  classifyAddress,
  pickDeliveryAddress,
  shouldDisableWebhook,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_MS,
  webhookRetryDelayMs,
  type AddressClass,
} from "./webhooks.ts";

describe("classifyAddress", () => {
  const table: Array<[string, AddressClass]> = [
    ["93.184.216.34", "public"],
    ["8.8.8.8", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["100.128.0.1", "public"],
    ["169.254.169.254", "link_local"],
    ["169.254.0.1", "link_local"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "reserved"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.1", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["fc00::1", "private"],
    ["fd00:ec2::254", "private"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:a9fe:a9fe", "link_local"],
    ["::ffff:8.8.8.8", "public"],
    ["::ffff:0:10.0.0.1", "private"],
    ["::10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["2002:c0a8:0101::1", "private"],
    ["2001:db8::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["2a00:1450:4001:80b::200e", "public"],
    ["example.com", "invalid"],
    ["1.2.3", "invalid"],
    ["01.2.3.4", "invalid"],
    ["1::2::3", "invalid"],
  ];
  it.each(table)("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe("checkWebhookUrl", () => {
  const strict = { allowLoopback: false };
  const local = { allowLoopback: true };
  const table: Array<[string, { allowLoopback: boolean }, string]> = [
    ["https://hooks.example.com/in", strict, "ok"],
    ["https://93.184.216.34/in", strict, "ok"],
    ["http://hooks.example.com/in", strict, "scheme"],
    ["http://hooks.example.com/in", local, "http_not_loopback"],
    ["ftp://hooks.example.com/in", local, "scheme"],
    ["https://user:pw@hooks.example.com/", strict, "credentials"],
    ["https://10.0.0.1/", strict, "address"],
    ["https://192.168.0.10/", local, "address"],
    ["https://169.254.169.254/latest/meta-data", strict, "address"],
    ["https://[fd00:ec2::254]/", strict, "address"],
    ["https://[fe80::1]/", strict, "address"],
    ["https://[::ffff:169.254.169.254]/", strict, "address"],
    ["https://0.0.0.0/", local, "address"],
    // The URL parser turns these spellings of 127.0.0.1 into the dotted form.
    ["https://2130706433/", strict, "address"],
    ["https://0x7f.1/", strict, "address"],
    ["https://127.0.0.1/", strict, "address"],
    ["https://localhost/", strict, "address"],
    ["http://127.0.0.1:8080/hook", local, "ok"],
    ["http://[::1]:8080/hook", local, "ok"],
    ["http://localhost:8080/hook", local, "ok"],
    ["http://127.0.0.1:8080/hook", strict, "scheme"],
    ["not a url", strict, "not_a_url"],
  ];
  it.each(table)("%s (%o) -> %s", (url, policy, expected) => {
    const result = checkWebhookUrl(url, policy);
    expect(result.ok ? "ok" : result.reason).toBe(expected);
  });
});

describe("pickDeliveryAddress", () => {
  const strict = { allowLoopback: false };
  it.each([
    ["https:", ["93.184.216.34"], strict, "93.184.216.34"],
    ["https:", ["93.184.216.34", "10.0.0.1"], strict, "address"],
    ["https:", ["169.254.169.254"], strict, "address"],
    ["https:", [], strict, "address"],
    ["http:", ["127.0.0.1"], { allowLoopback: true }, "127.0.0.1"],
    ["http:", ["93.184.216.34"], { allowLoopback: true }, "http_not_loopback"],
    ["https:", ["::1"], strict, "address"],
  ] as const)("%s %o -> %s", (protocol, addresses, policy, expected) => {
    const result = pickDeliveryAddress(protocol, addresses, policy);
    expect(result.ok ? result.address : result.reason).toBe(expected);
  });
});

describe("retry schedule", () => {
  it("spans at least 24 hours, growing", () => {
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3_600_000);
    for (let i = 1; i < WEBHOOK_RETRY_DELAYS_MS.length; i++)
      expect(WEBHOOK_RETRY_DELAYS_MS[i]!).toBeGreaterThanOrEqual(WEBHOOK_RETRY_DELAYS_MS[i - 1]!);
  });
  it.each([
    [0, null],
    [1, 5_000],
    [2, 300_000],
    [WEBHOOK_MAX_ATTEMPTS - 1, 36_000_000],
    [WEBHOOK_MAX_ATTEMPTS, null],
  ])("after %i attempts: %s", (attempts, delay) => {
    expect(webhookRetryDelayMs(attempts)).toBe(delay);
  });
});

describe("shouldDisableWebhook", () => {
  const now = new Date("2026-01-02T00:00:00Z");
  const dayAgo = new Date("2026-01-01T00:00:00Z");
  const hourAgo = new Date("2026-01-01T23:00:00Z");
  it.each([
    [{ consecutiveFailures: 1, failingSince: hourAgo, deliveryExhausted: true }, true],
    [{ consecutiveFailures: 50, failingSince: dayAgo, deliveryExhausted: false }, true],
    [{ consecutiveFailures: 50, failingSince: hourAgo, deliveryExhausted: false }, false],
    [{ consecutiveFailures: 3, failingSince: dayAgo, deliveryExhausted: false }, false],
    [{ consecutiveFailures: 0, failingSince: null, deliveryExhausted: false }, false],
  ])("%o -> %s", (input, expected) => {
    expect(shouldDisableWebhook({ ...input, now })).toBe(expected);
  });
});
