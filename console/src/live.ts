import { useEffect, useRef } from "preact/hooks";
import type { ControlChange } from "./types.ts";

export interface ConversationChange {
  conversationId: string;
  type: string;
  state?: string;
  messageId?: string;
}

/**
 * Live updates over Server-Sent Events (`GET /api/v1/stream`, cookie auth). EventSource
 * reconnects by itself; the handler sees every `conversation` event of this instance.
 */
export function useConversationStream(
  onChange: (change: ConversationChange) => void,
  conversationId?: string,
) {
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const url = `/api/v1/stream${conversationId ? `?conversationId=${encodeURIComponent(conversationId)}` : ""}`;
    const source = new EventSource(url);
    const listener = (event: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(event.data) as ConversationChange);
      } catch {
        // A frame that is not JSON is not ours to act on.
      }
    };
    source.addEventListener("conversation", listener);
    return () => source.close();
  }, [conversationId]);
}

type ChangeListener = (change: ControlChange) => void;
const changeListeners = new Set<ChangeListener>();
let changeSource: EventSource | undefined;

/**
 * Runs `onChange` for each `change` event (a rollout, agent, alert or incident changed, on
 * any instance or from the CLI) whose topic is in `topics`. Every page shares one
 * connection, opened while some page listens.
 */
export function useControlChanges(
  topics: readonly ControlChange["topic"][],
  onChange: (change: ControlChange) => void,
) {
  const handler = useRef(onChange);
  handler.current = onChange;
  const key = topics.join(",");
  useEffect(() => {
    const listener: ChangeListener = (change) => {
      if (topics.includes(change.topic)) handler.current(change);
    };
    changeListeners.add(listener);
    if (!changeSource) {
      changeSource = new EventSource("/api/v1/stream");
      let opened = false;
      // Back after a drop: what changed meanwhile was not told, so every page refreshes.
      changeSource.addEventListener("open", () => {
        if (opened) {
          for (const topic of ["rollout", "agent", "alert", "incident"] as const) {
            for (const l of changeListeners) l({ topic });
          }
        }
        opened = true;
      });
      changeSource.addEventListener("change", (event: MessageEvent<string>) => {
        let change: ControlChange;
        try {
          change = JSON.parse(event.data) as ControlChange;
        } catch {
          return; // A frame that is not JSON is not ours to act on.
        }
        for (const l of changeListeners) l(change);
      });
    }
    return () => {
      changeListeners.delete(listener);
      if (changeListeners.size === 0) {
        changeSource?.close();
        changeSource = undefined;
      }
    };
  }, [key]);
}
