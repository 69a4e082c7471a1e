/**
 * Most shadcn parts only add their base classes to the caller's `className` and pass every
 * other prop through. `withClasses` declares such a part in one line instead of a function
 * each, so the classes are what a reader sees.
 */
import type { ComponentProps, ElementType, JSX, ReactNode } from "react";
import { cn } from "@/lib/utils.ts";

export function withClasses<T extends ElementType<{ className?: string }>>(
  Component: T,
  base: string,
): (props: ComponentProps<T>) => JSX.Element {
  // Generic JSX cannot spread into a type parameter: render through the widened type.
  const Element = Component as ElementType<{ className?: string }>;
  return function WithClasses(props: ComponentProps<T>) {
    const { className, ...rest } = props as ComponentProps<T> & { className?: string };
    return <Element className={cn(base, className)} {...rest} />;
  };
}

/**
 * A floating part (menu, popover, tooltip content): rendered in its portal, 4px off its
 * trigger unless told otherwise, with its base classes; `defaults` are the part's own
 * defaults (a popover aligns to the start).
 */
export function floating<T extends ElementType<{ className?: string; sideOffset?: number }>>(
  Portal: ElementType<{ children: ReactNode }>,
  Content: T,
  base: string,
  defaults: Partial<ComponentProps<T>> = {},
): (props: ComponentProps<T>) => JSX.Element {
  const Element = Content as ElementType<{ className?: string; sideOffset?: number }>;
  return function Floating(props: ComponentProps<T>) {
    const { className, ...rest } = props as ComponentProps<T> & { className?: string };
    return (
      <Portal>
        <Element sideOffset={4} {...defaults} className={cn(base, className)} {...rest} />
      </Portal>
    );
  };
}
