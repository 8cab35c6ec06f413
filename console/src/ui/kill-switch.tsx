import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { time } from "../format.ts";
import type { Kill } from "../types.ts";
import { ConfirmButton } from "./confirm-button.tsx";

/** Stop an agent at once (with a confirmation), or bring it back. Admin only (role-rules.ts). */
export function KillSwitch(props: {
  agentId: string;
  kill?: Kill;
  allowed: boolean;
  onChanged: () => void;
}) {
  const [reason, setReason] = useState("");
  const [fallback, setFallback] = useState<"human" | "canned">("human");
  const [canned, setCanned] = useState("");
  const [error, setError] = useState<string>();
  const path = `/api/v1/agents/${props.agentId}/kill`;
  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  if (props.kill) {
    return (
      <div class="kill on">
        <p>
          Killed {time(props.kill.killedAt)}: {props.kill.reason} (fallback:{" "}
          {props.kill.fallback.type})
        </p>
        {props.allowed && (
          <button type="button" onClick={() => run(() => api(path, { method: "DELETE" }))}>
            Bring {props.agentId} back
          </button>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }
  if (!props.allowed) return <p class="muted">Running. Only an admin can use the kill switch.</p>;
  const body = () => ({
    reason,
    fallback: fallback === "canned" ? { type: "canned", text: canned } : { type: "human" },
  });
  return (
    <div class="kill">
      <ConfirmButton
        label={`Kill ${props.agentId}…`}
        kind="danger"
        title={`Kill ${props.agentId}?`}
        confirmLabel="Confirm kill"
        onConfirm={async () => {
          await api(path, { method: "POST", body: body() });
          props.onChanged();
        }}
      >
        <p>From the next turn, none of its conversations is answered by it.</p>
        <label for="kill-reason">Reason (kept in the audit log)</label>
        <input
          id="kill-reason"
          required
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <fieldset>
          <legend>Conversations go to</legend>
          <label>
            <input
              type="radio"
              name="fallback"
              checked={fallback === "human"}
              onChange={() => setFallback("human")}
            />{" "}
            a person (handoff)
          </label>
          <label>
            <input
              type="radio"
              name="fallback"
              checked={fallback === "canned"}
              onChange={() => setFallback("canned")}
            />{" "}
            a canned reply
          </label>
        </fieldset>
        {fallback === "canned" && (
          <>
            <label for="kill-canned">Canned reply</label>
            <input
              id="kill-canned"
              required
              value={canned}
              onInput={(e) => setCanned(e.currentTarget.value)}
            />
          </>
        )}
      </ConfirmButton>
    </div>
  );
}
