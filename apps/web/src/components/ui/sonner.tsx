import { Toaster as Sonner, type ToasterProps } from "sonner";

export function Toaster(props: ToasterProps) {
  return <Sonner position="top-right" closeButton richColors duration={6000} {...props} />;
}
