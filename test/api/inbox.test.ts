import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { bearer, KEYS, startKeyedApp } from "../audit/start-keyed-app.ts";
import { auth, queueDrained, signedWebhook } from "../support/test-app.ts";

type App = Awaited<ReturnType<typeof startKeyedApp>>;
interface Row {
  id: string;
  state: string;
  assignee: string | null;
  resolution: string | null;
  labels: string[];
  contact: { id: string; displayName: string | null; name: string };
}

describe("the inbox API: assignment, notes, labels, closing", () => {
  const clock = new ManualClock();
  let app: App;
  let n = 0;
  before(async () => {
    app = await startKeyedApp({ clock });
  });
  after(() => app?.dispose());

  const say = async (from: string, text: string, extra: Record<string, unknown> = {}) => {
    clock.advance(1000);
    const res = await app.app.inject(signedWebhook({ id: `i-${++n}`, from, text, ...extra }));
    assert.equal(res.statusCode, 202, res.body);
    await queueDrained(app.store);
    return res.json().conversationId as string;
  };
  const call = (method: "GET" | "POST" | "DELETE", url: string, payload?: unknown, key?: string) =>
    app.app.inject({
      method,
      url,
      headers: key ? bearer(key) : auth,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const list = async (query: string, key?: string) => {
    const res = await call("GET", `/api/v1/conversations?${query}`, undefined, key);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().data as Row[];
  };
  const events = async (id: string) =>
    (await call("GET", `/api/v1/conversations/${id}`)).json().events as {
      type: string;
      data: Record<string, unknown>;
    }[];
  const audit = async () =>
    (await call("GET", "/api/v1/audit?limit=200")).json().data as {
      actor: string;
      action: string;
      target: string;
      data: Record<string, unknown>;
    }[];

  it("assigns a conversation to a named operator and filters assigned to me", async () => {
    const id = await say("+15557001", "Where is my order?");
    const other = await say("+15557002", "Hello");
    const res = await call("POST", `/api/v1/conversations/${id}/assign`, { assignee: "ada" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().assignee, "ada");

    // `me` is whoever asks: the agent key is named ada.
    assert.deepEqual(
      (await list("assignee=me", KEYS.agent.key)).map((r) => r.id),
      [id],
    );
    assert.deepEqual(
      (await list("assignee=me")).map((r) => r.id),
      [],
    );
    assert.ok((await list("assignee=none")).some((r) => r.id === other));
    assert.ok(!(await list("assignee=none")).some((r) => r.id === id));

    const assigned = (await events(id)).find((e) => e.type === "conversation.assigned");
    assert.deepEqual(assigned?.data, { assignee: "ada", previous: null, by: "admin" });
    const entry = (await audit()).find((a) => a.action === "conversation.assign");
    assert.deepEqual(
      [entry?.actor, entry?.target, entry?.data],
      ["admin", id, { assignee: "ada", previous: null }],
    );

    const cleared = await call("POST", `/api/v1/conversations/${id}/assign`, { assignee: null });
    assert.equal(cleared.json().assignee, null);
    // A generic channel shows no operators: no "joined" line was queued.
    const messages = (await call("GET", `/api/v1/conversations/${id}/messages`)).json().data;
    assert.ok(!messages.some((m: { author: string }) => m.author === "system"));
  });

  it("takes and replies as assignment: a reply to an unassigned conversation assigns the replier", async () => {
    const taken = await say("+15557003", "I want to talk to a real person");
    await call("POST", `/api/v1/conversations/${taken}/take`, {}, KEYS.agent.key);
    assert.equal((await list("assignee=ada")).find((r) => r.id === taken)?.assignee, "ada");

    const replied = await say("+15557004", "How long does shipping take?");
    const reply = await call(
      "POST",
      `/api/v1/conversations/${replied}/messages`,
      { text: "Let me check." },
      KEYS.agent.key,
    );
    assert.equal(reply.statusCode, 202, reply.body);
    assert.equal(reply.json().meta.agentName, "ada", "named after the key");
    const row = (await list("assignee=ada")).find((r) => r.id === replied);
    assert.equal(row?.state, "human");
    // Assigned already: a second operator's reply leaves it with the first.
    await call("POST", `/api/v1/conversations/${replied}/messages`, { text: "Also this." });
    assert.equal((await list("assignee=ada")).find((r) => r.id === replied)?.assignee, "ada");
  });

  it("keeps private notes apart from the messages", async () => {
    const id = await say("+15557005", "Refund please");
    const before = (await call("GET", `/api/v1/conversations/${id}/messages`)).json().data.length;
    const res = await call(
      "POST",
      `/api/v1/conversations/${id}/notes`,
      { text: "Customer since 2019, approve it" },
      KEYS.agent.key,
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().author, "ada");
    const notes = (await call("GET", `/api/v1/conversations/${id}/notes`)).json().data;
    assert.deepEqual(
      notes.map((x: { text: string }) => x.text),
      ["Customer since 2019, approve it"],
    );
    const after = (await call("GET", `/api/v1/conversations/${id}/messages`)).json().data.length;
    assert.equal(after, before, "a note is not a message, so nothing is sent");
    const event = (await events(id)).find((e) => e.type === "note.added");
    assert.deepEqual(event?.data, { noteId: res.json().id, author: "ada" });
    const entry = (await audit()).find((a) => a.action === "conversation.note");
    assert.deepEqual(entry?.data, { noteId: res.json().id }, "the text stays out of the audit log");

    const viewer = await call(
      "POST",
      `/api/v1/conversations/${id}/notes`,
      { text: "x" },
      KEYS.viewer.key,
    );
    assert.equal(viewer.statusCode, 403);
    const empty = await call("POST", `/api/v1/conversations/${id}/notes`, { text: "  " });
    assert.equal(empty.json().error.code, "MS_BAD_REQUEST");
    const missing = await call("POST", "/api/v1/conversations/conv_nope/notes", { text: "x" });
    assert.equal(missing.statusCode, 404);
  });

  it("labels conversations, lists labels in use and filters by label", async () => {
    const id = await say("+15557006", "My invoice is wrong");
    const added = await call("POST", `/api/v1/conversations/${id}/labels`, { label: "Billing" });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json().labels, ["billing"], "labels are lowercase");
    await call("POST", `/api/v1/conversations/${id}/labels`, { label: "vip" });
    assert.deepEqual(
      (await list("label=billing")).map((r) => [r.id, r.labels]),
      [[id, ["billing", "vip"]]],
    );
    const inUse = (await call("GET", "/api/v1/labels")).json().data;
    assert.deepEqual(inUse, [
      { label: "billing", conversations: 1 },
      { label: "vip", conversations: 1 },
    ]);
    const removed = await call("DELETE", `/api/v1/conversations/${id}/labels/vip`);
    assert.deepEqual(removed.json().labels, ["billing"]);
    const types = (await events(id)).map((e) => e.type);
    assert.deepEqual(
      types.filter((t) => t.startsWith("label.")),
      ["label.added", "label.added", "label.removed"],
    );
    const bad = await call("POST", `/api/v1/conversations/${id}/labels`, { label: "no spaces" });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "MS_BAD_REQUEST");
    assert.equal((await list("label=vip")).length, 0);
  });

  it("resolves, closes and reopens", async () => {
    const id = await say("+15557007", "Thanks, all sorted");
    const resolved = await call("POST", `/api/v1/conversations/${id}/resolve`, {}, KEYS.agent.key);
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.deepEqual([resolved.json().state, resolved.json().resolution], ["closed", "resolved"]);
    const again = await call("POST", `/api/v1/conversations/${id}/close`);
    assert.equal(again.json().error.code, "MS_CONVERSATION_CLOSED");
    const assign = await call("POST", `/api/v1/conversations/${id}/assign`, { assignee: "ada" });
    assert.equal(assign.json().error.code, "MS_CONVERSATION_CLOSED");

    const reopened = await call("POST", `/api/v1/conversations/${id}/reopen`);
    assert.deepEqual([reopened.json().state, reopened.json().resolution], ["human", null]);
    const notClosed = await call("POST", `/api/v1/conversations/${id}/reopen`);
    assert.equal(notClosed.json().error.code, "MS_NOT_CLOSED");
    const closed = await call("POST", `/api/v1/conversations/${id}/close`);
    assert.deepEqual([closed.json().state, closed.json().resolution], ["closed", "unresolved"]);

    // The customer writes again: a new conversation, so the old one cannot be reopened.
    const next = await say("+15557007", "One more question");
    assert.notEqual(next, id);
    const superseded = await call("POST", `/api/v1/conversations/${id}/reopen`);
    assert.equal(superseded.statusCode, 409);
    assert.equal(superseded.json().error.code, "MS_CONVERSATION_SUPERSEDED");

    const closing = (await events(id)).filter((e) =>
      ["conversation.closed", "conversation.reopened"].includes(e.type),
    );
    assert.deepEqual(
      closing.map((e) => [e.type, e.data["resolution"] ?? e.data["state"], e.data["by"]]),
      [
        ["conversation.closed", "resolved", "ada"],
        ["conversation.reopened", "human", "admin"],
        ["conversation.closed", "unresolved", "admin"],
      ],
    );
    const actions = (await audit()).filter((a) => a.target === id).map((a) => a.action);
    assert.deepEqual(actions.reverse(), [
      "conversation.resolve",
      "conversation.reopen",
      "conversation.close",
    ]);
    const viewer = await call("POST", `/api/v1/conversations/${next}/close`, {}, KEYS.viewer.key);
    assert.equal(viewer.statusCode, 403);
    const body = await call("POST", `/api/v1/conversations/${next}/close`, { why: "x" });
    assert.equal(body.json().error.code, "MS_BAD_REQUEST");
  });

  it("names visitors readably: display name, then phone or email, else a stable Visitor number", async () => {
    const named = await say("+15557008", "hi", { name: "Grace Hopper" });
    const phone = await say("+15557009", "hi");
    const email = await say("lin@example.com", "hi");
    const opaque = await say("user-4711", "hi");
    const rows = await list("limit=100");
    const name = (id: string) => rows.find((r) => r.id === id)?.contact.name;
    assert.equal(name(named), "Grace Hopper");
    assert.equal(name(phone), "+15557009");
    assert.equal(name(email), "lin@example.com");
    assert.match(name(opaque) ?? "", /^Visitor \d{4}$/);
    const detail = (await call("GET", `/api/v1/conversations/${opaque}`)).json();
    assert.equal(detail.contact.name, name(opaque), "the same name on every screen");
    const queue = await say("user-4711", "talk to a human please");
    const entry = (await call("GET", "/api/v1/handoffs"))
      .json()
      .data.find((h: { id: string }) => h.id === queue);
    assert.equal(entry?.contact.name, name(opaque));
  });
});
