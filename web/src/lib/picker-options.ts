// The choices of a picker of codes (components/pickers.tsx).

export interface PickerOption {
  value: string;
  label: string;
}

/** The options of a picker: the list in its order, then any current value it lacks, marked. */
export function pickerOptions(list: PickerOption[], current: readonly string[], missingLabel: (code: string) => string): PickerOption[] {
  const known = new Set(list.map((o) => o.value));
  const missing = [...new Set(current.filter((c) => c && !known.has(c)))].map((c) => ({ value: c, label: missingLabel(c) }));
  return [...list, ...missing];
}

