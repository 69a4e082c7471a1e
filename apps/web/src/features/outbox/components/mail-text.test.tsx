/** A mail's plain text as the outbox shows it: the words as written, web addresses as links. */
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MailText } from "./mail-text.tsx";

describe("MailText", () => {
  it.each([
    {
      text: "Accept:\nhttps://gh.example/invitations/accept?token=abc&x=1\n",
      links: ["https://gh.example/invitations/accept?token=abc&x=1"],
    },
    { text: "No link here.", links: [] },
    {
      text: "One http://a.example/x and two https://b.example/y.",
      links: ["http://a.example/x", "https://b.example/y"],
    },
    { text: 'Not a link: javascript:alert(1) or <a href="x">', links: [] },
  ])("$text", ({ text, links }) => {
    const { container } = render(<MailText text={text} />);
    expect(container.textContent).toBe(text);
    expect(screen.queryAllByRole("link").map((a) => a.getAttribute("href"))).toEqual(links);
  });
});
