import { describe, expect, it } from "vitest";
import { escapeHtml, mailLayout, type MailLayoutInput } from "./mail.ts";

describe("escapeHtml", () => {
  it.each([
    ["plain", "plain"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`a "quoted" 'value'`, "a &quot;quoted&quot; &#39;value&#39;"],
    ["Tom & Jerry", "Tom &amp; Jerry"],
    ["&amp;", "&amp;amp;"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("mailLayout", () => {
  const url = "https://gatehouse.example/invite?token=abc&x=1";
  const cases: Array<{
    name: string;
    input: MailLayoutInput;
    subject: string;
    text: string;
    htmlHas: string[];
    htmlHasNot?: string[];
  }> = [
    {
      name: "heading and paragraphs",
      input: { heading: "Your password was changed", paragraphs: ["One.", "Two."] },
      subject: "Your password was changed",
      text: "Your password was changed\n\nOne.\n\nTwo.\n",
      htmlHas: [
        '<html lang="en">',
        "<title>Your password was changed</title>",
        ">Your password was changed</h1>",
        ">One.</p>",
        ">Two.</p>",
      ],
      htmlHasNot: ["<a "],
    },
    {
      name: "an action: a link in HTML, the URL on its own line in text",
      input: {
        heading: "Join Acme",
        paragraphs: ["Ada invited you."],
        action: { label: "Accept", url },
      },
      subject: "Join Acme",
      text: `Join Acme\n\nAda invited you.\n\nAccept:\n${url}\n`,
      htmlHas: [
        'href="https://gatehouse.example/invite?token=abc&amp;x=1"',
        ">Accept</a>",
        ">https://gatehouse.example/invite?token=abc&amp;x=1</a>",
      ],
    },
    {
      name: "parts are text: markup is escaped in HTML, kept as is in text",
      input: {
        heading: "<b>Hi</b>",
        paragraphs: ['Team "<img src=x onerror=alert(1)>"'],
        action: { label: "Go <now>", url: 'https://x.example/?q="x"' },
      },
      subject: "<b>Hi</b>",
      text: `<b>Hi</b>\n\nTeam "<img src=x onerror=alert(1)>"\n\nGo <now>:\nhttps://x.example/?q="x"\n`,
      htmlHas: [
        "&lt;b&gt;Hi&lt;/b&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "Go &lt;now&gt;",
        'href="https://x.example/?q=&quot;x&quot;"',
      ],
      htmlHasNot: ["<b>", "<img"],
    },
    {
      name: "no paragraphs",
      input: { heading: "Test", paragraphs: [] },
      subject: "Test",
      text: "Test\n",
      htmlHas: [">Test</h1>"],
    },
  ];

  it.each(cases)("$name", ({ input, subject, text, htmlHas, htmlHasNot }) => {
    const mail = mailLayout(input);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toBe(text);
    for (const part of htmlHas) expect(mail.html).toContain(part);
    for (const part of htmlHasNot ?? []) expect(mail.html).not.toContain(part);
  });

  it.each(["javascript:alert(1)", "data:text/html,x", "/relative", "mailto:a@b.example"])(
    "refuses an action URL %j that is not http(s)",
    (url) => {
      expect(() =>
        mailLayout({ heading: "x", paragraphs: [], action: { label: "x", url } }),
      ).toThrow(RangeError);
    },
  );
});
