import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

/**
 * A button that asks first, in a modal dialog (Escape cancels), then runs `onConfirm`;
 * an error from it stays in the dialog. For actions that cannot be taken back.
 */
export function ConfirmButton(props: {
  label: string;
  title: string;
  confirmLabel: string;
  kind?: "danger" | "primary";
  children: ComponentChildren;
  onConfirm: () => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = `confirm-${props.label.replace(/\W+/g, "-").toLowerCase()}`;
  async function confirm(event: Event) {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" class={props.kind} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <form onSubmit={confirm}>
          <h3 id={titleId}>{props.title}</h3>
          {props.children}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="submit" class={props.kind ?? "primary"} disabled={busy}>
              {props.confirmLabel}
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
