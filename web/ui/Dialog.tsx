import { useEffect, useRef, type ReactNode } from 'react';

/** A modal <dialog>: focus is trapped by the browser, Escape closes it (unless `required`). */
export function Dialog({
  open,
  title,
  onClose,
  children,
  required = false,
}: {
  open: boolean;
  title: string;
  onClose?: () => void;
  children: ReactNode;
  required?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        if (required) e.preventDefault();
        else onClose?.();
      }}
    >
      <h2>{title}</h2>
      {open && children}
    </dialog>
  );
}
