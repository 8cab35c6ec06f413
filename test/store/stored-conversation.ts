import { newId } from "../../src/shared/ids.ts";
import type { Conversation, Repositories } from "../../src/store/index.ts";

/** A conversation on the `api` channel with the customer's messages `texts`. */
export async function storedConversation(
  repos: Pick<Repositories, "contacts" | "conversations" | "messages">,
  name: string,
  address: string,
  texts: string[],
  at: number,
): Promise<Conversation> {
  const identity = await repos.contacts.resolveIdentity("generic", address, name, at);
  const c = await repos.conversations.create(
    {
      contactId: identity.contactId,
      identityId: identity.id,
      channelId: "api",
      channelType: "generic",
      agentId: "support",
      agentVersion: "1",
    },
    at,
  );
  for (const text of texts) {
    await repos.messages.insert(
      {
        id: newId("msg", at),
        conversationId: c.id,
        channelId: "api",
        direction: "inbound",
        author: "customer",
        text,
        status: "received",
      },
      at,
    );
  }
  return c;
}
