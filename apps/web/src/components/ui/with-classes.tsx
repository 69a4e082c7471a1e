/**
 * Most shadcn parts only add their base classes to the caller's `className` and pass every
 * other prop through. `withClasses` declares such a part in one line instead of a function
 * each, so the classes are what a reader sees.
 */
import type { ComponentProps, ElementType, JSX } from "react";
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
