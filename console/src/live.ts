import { useEffect, useRef } from "preact/hooks";

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
