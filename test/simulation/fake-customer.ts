import { supportModel } from "../evaluation/fake-support-model.ts";
import type { FakeLlmRequest, FakeLlmScript } from "../support/fake-llm-servers.ts";

interface Message {
  role: string;
  content: string | null;
}

/**
 * The fake OpenAI server's models for simulations: `customer-model` plays a customer who
 * wants to return a phone (leaves with [DONE] once told about 30 days, asks again once,
 * then gives up); `long-model` answers too long for SMS, `slow-model` slower than a turn
 * may wait; every other model is the scripted support agent of the eval tests
 * (`good-model` looks the policy up, `bad-model` promises refunds).
 */
export const simulationModels: FakeLlmScript = (request: FakeLlmRequest) => {
  const model = request.body["model"];
  // Far over an SMS budget: 900 GSM-7 characters are 6 segments.
  if (model === "long-model")
    return { text: `Here is everything about returns. ${"x".repeat(900)}` };
  if (model === "slow-model") return { text: "Sorry for the wait.", delayMs: 1500 };
  if (model !== "customer-model") return supportModel(request);
  const messages = request.body["messages"] as Message[];
  const asked = messages.filter((m) => m.role === "assistant").length;
  const last = messages.at(-1)?.content ?? "";
  if (asked === 0) return { text: "Hi, can I return my phone? It came last week." };
  if (/30 days/.test(last)) return { text: "Great, that is all I needed. [DONE]" };
  if (asked === 1) return { text: "How many days do I have to send it back?" };
  return { text: "[GIVE UP]" };
};
