/**
 * A titled section of a page in a card: the heading (with the section's actions beside it)
 * names the card for screen readers (`aria-labelledby` on `${id}-heading`).
 */
import type { ComponentProps, ReactNode } from "react";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";

export function SectionCard({
  id,
  title,
  actions,
  children,
  ...card
}: Omit<ComponentProps<typeof Card>, "id" | "title"> & {
  id: string;
  title: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card aria-labelledby={`${id}-heading`} {...card}>
      <CardHeader>
        <CardTitle id={`${id}-heading`}>{title}</CardTitle>
        {actions}
      </CardHeader>
      {children}
    </Card>
  );
}
