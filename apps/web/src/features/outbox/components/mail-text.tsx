/** A plain-text mail body as written, with its web addresses as links. */
// A sentence's closing punctuation after an address is not part of it.
const URL_PATTERN = /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)])/g;

export function MailText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <pre className="overflow-x-auto p-4 font-mono text-sm break-words whitespace-pre-wrap">
      {parts.map((part, i) =>
        // split with a capture group: odd indexes are the addresses.
        i % 2 === 1 ? (
          <a key={i} href={part} className="text-primary underline underline-offset-2">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}
