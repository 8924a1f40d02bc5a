import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog>: focus moves in and is trapped, Esc closes, and focus
 * returns to what opened it. `onSubmit` makes its body a form with a primary button.
 */
export function Dialog({
  open,
  title,
  onClose,
  onSubmit,
  submitLabel = 'Save',
  busy = false,
  error,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit?: () => void;
  submitLabel?: string;
  busy?: boolean;
  error?: string | undefined;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <form method="dialog" onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {onSubmit ? (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Working…' : submitLabel}
            </button>
          ) : null}
        </div>
      </form>
    </dialog>
  );
}
