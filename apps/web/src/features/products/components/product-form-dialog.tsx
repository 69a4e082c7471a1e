/** Create a product, or edit one (name, renewal, active flag, limits) through products.update. */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog.tsx";
import { type Product } from "../api/products-queries.ts";
import { ProductForm, type ProductFormOutput } from "./product-form.tsx";

export function ProductFormDialog({ product, trigger }: { product?: Product; trigger: ReactNode }) {
  const [open, setOpen] = useState(false);
  const create = useMutation(trpc.products.create.mutationOptions());
  const update = useMutation(trpc.products.update.mutationOptions());

  const submit = async (input: ProductFormOutput) => {
    if (product) {
      await update.mutateAsync({
        productId: product.id,
        ...(input.name !== product.name ? { name: input.name } : {}),
        ...(input.isActive !== product.isActive ? { isActive: input.isActive } : {}),
        limits: input.limits,
      });
      toast.success(`Product “${input.name}” saved`);
    } else {
      await create.mutateAsync(input);
      toast.success(`Product “${input.name}” created`);
    }
    setOpen(false);
  };

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto">
        <DialogHeading
          title={product ? `Edit ${product.name}` : "New product"}
          description="A team gets the most generous limits of its active products; a change reaches every region's LiteLLM team in the background."
        />
        {/* Mounted only while open, so each opening starts from the product's current values. */}
        {open ? (
          <ProductForm
            initial={product}
            lockRenewal={product !== undefined}
            submitLabel={product ? "Save product" : "Create product"}
            onSubmit={submit}
            onCancel={() => setOpen(false)}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
