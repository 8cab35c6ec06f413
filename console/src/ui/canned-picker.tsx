import { optional } from "../api.ts";
import type { CannedResponse } from "../types.ts";
import { useLoad } from "./use-load.ts";

/** The team's saved replies, loaded once per reply box. */
export function useCannedResponses() {
  const loaded = useLoad(
    () => optional<{ data: CannedResponse[] }>("/api/v1/canned-responses"),
    [],
  );
  return loaded.data?.data ?? [];
}

/**
 * The saved reply a reply box's text asks for: `/shortcut` typed alone picks the one with
 * that shortcut, so an operator can type `/hours` and press the button or Tab.
 */
export const cannedFor = (text: string, canned: CannedResponse[]) => {
  const typed = /^\/([a-z0-9_-]+)$/i.exec(text.trim())?.[1]?.toLowerCase();
  return typed === undefined ? undefined : canned.find((c) => c.shortcut === typed);
};

/** A menu of the saved replies; choosing one puts its text in the reply box. */
export function CannedPicker(props: { canned: CannedResponse[]; onPick: (text: string) => void }) {
  if (props.canned.length === 0) return null;
  return (
    <label class="canned">
      Saved reply
      <select
        value=""
        onChange={(e) => {
          const picked = props.canned.find((c) => c.id === e.currentTarget.value);
          if (picked) props.onPick(picked.text);
        }}
      >
        <option value="">insert…</option>
        {props.canned.map((c) => (
          <option key={c.id} value={c.id}>
            /{c.shortcut}
          </option>
        ))}
      </select>
    </label>
  );
}
