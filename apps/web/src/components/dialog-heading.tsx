/** A dialog's title and the sentence under it, the pair every dialog opens with. */
import type { ReactNode } from "react";
import { DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog.tsx";

export function DialogHeading({
  title,
  description,
  block = false,
}: {
  title: ReactNode;
  description: ReactNode;
  /** The description holds paragraphs of its own (a <p> inside a <p> is invalid). */
  block?: boolean;
}) {
  return (
    <DialogHeader>
      <DialogTitle>{title}</DialogTitle>
      {block ? (
        <DialogDescription asChild>
          <div>{description}</div>
        </DialogDescription>
      ) : (
        <DialogDescription>{description}</DialogDescription>
      )}
    </DialogHeader>
  );
}
