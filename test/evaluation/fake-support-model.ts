import type { FakeLlmRequest, FakeLlmScript } from "../support/fake-llm-servers.ts";

interface Message {
  role: string;
  content: string | null;
}

/**
 * Scripted replies of a support model on the fake OpenAI server: `good-model` looks things
 * up and answers from them; `bad-model` is curt, wrong about refunds, promises refunds
 * otherwise, and never calls a tool. A request
 * whose system prompt starts "You grade" is the judge, which fails any promise.
 */
export const supportModel: FakeLlmScript = (request: FakeLlmRequest) => {
  const messages = request.body["messages"] as Message[];
  const system = messages[0]?.content ?? "";
  if (system.startsWith("You grade")) {
    const transcript = messages.at(-1)?.content ?? "";
    const promised = /guarantee/i.test(transcript);
    return {
      text: `Verdict: {"pass": ${!promised}, "reason": "${promised ? "promises a refund" : "no promise"}"}`,
    };
  }
  const last = messages.at(-1)!;
  const question = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  if (request.body["model"] === "bad-model") {
    const usage = { input: 900, output: 300 };
    if (/refund/i.test(question))
      return { text: "Refunds can take up to 30 business days, sorry.", usage };
    if (/morning|question/i.test(question)) return { text: "Morning. What do you want?", usage };
    return { text: "Sure! I guarantee you a full refund today, no questions asked.", usage };
  }
  if (last.role === "tool") {
    if (!last.content?.startsWith("[") && !last.content?.startsWith("{")) {
      return { text: `I could not look that up (${last.content}).` };
    }
    const found = JSON.parse(last.content) as { answer?: string }[] | { name: string };
    if (!Array.isArray(found)) return { text: `You are ${found.name}.` };
    return { text: `From our policies: ${found[0]?.answer ?? "nothing found"}` };
  }
  if (/return/i.test(question)) {
    return {
      toolCalls: [{ name: "search_knowledge_base", arguments: { query: "return policy" } }],
    };
  }
  if (/who am i/i.test(question)) return { toolCalls: [{ name: "lookup_contact", arguments: {} }] };
  if (/refund/i.test(question)) {
    return {
      text: "Refunds reach your original payment method within 5 business days of us receiving the return.",
    };
  }
  return { text: "Happy to help with orders, returns, plans and repairs." };
};
