/**
 * A select over a fixed list of options: the shape every form and filter here repeats
 * (trigger, value, items). `control` + `name` bind it to a react-hook-form field;
 * `value` + `onValueChange` use it on its own.
 */
import type { ComponentProps } from "react";
import { Controller, type Control, type FieldValues, type Path } from "react-hook-form";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select.tsx";

export interface SelectOption {
  value: string;
  label: string;
}

type TriggerProps = Omit<ComponentProps<typeof SelectTrigger>, "children">;

interface Common {
  options: readonly SelectOption[];
  placeholder?: string;
  disabled?: boolean;
}

export function OptionSelect<T extends FieldValues>(
  props: Common &
    TriggerProps &
    (
      | { control: Control<T>; name: Path<T>; value?: never; onValueChange?: never }
      | { control?: never; name?: never; value: string; onValueChange: (value: string) => void }
    ),
) {
  const { options, placeholder, disabled, control, name, value, onValueChange, ...trigger } = props;
  const render = (current: string, onChange: (value: string) => void) => (
    <Select value={current} onValueChange={onChange} disabled={disabled}>
      <SelectTrigger {...trigger}>
        <SelectValue placeholder={placeholder} />
      </SelectTrigger>
      <SelectContent>
        {options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
  if (control && name) {
    return (
      <Controller
        control={control}
        name={name}
        render={({ field }) => render(String(field.value ?? ""), field.onChange)}
      />
    );
  }
  return render(value ?? "", onValueChange ?? (() => undefined));
}
