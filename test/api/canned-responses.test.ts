import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { bearer, KEYS, startKeyedApp } from "../audit/start-keyed-app.ts";
import { auth } from "../support/test-app.ts";

describe("canned responses: admins manage them, operators list them", () => {
  let app: Awaited<ReturnType<typeof startKeyedApp>>;
  before(async () => {
    app = await startKeyedApp();
  });
  after(() => app?.dispose());

  const call = (
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    payload?: unknown,
    key?: string,
  ) =>
    app.app.inject({
      method,
      url,
      headers: key ? bearer(key) : auth,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  it("creates, lists, changes and deletes, each in the audit log", async () => {
    const created = await call("POST", "/api/v1/canned-responses", {
      shortcut: "Hours",
      text: "We are open 9:00-17:00, Monday to Friday.",
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json();
    assert.equal(created.json().shortcut, "hours");
    assert.equal(created.json().createdBy, "admin");

    // An operator (agent role) and a viewer see the same list.
    for (const key of [KEYS.agent.key, KEYS.viewer.key]) {
      const listed = await call("GET", "/api/v1/canned-responses", undefined, key);
      assert.deepEqual(
        listed.json().data.map((c: { shortcut: string }) => c.shortcut),
        ["hours"],
      );
    }

    const changed = await call("PUT", `/api/v1/canned-responses/${id}`, {
      shortcut: "opening",
      text: "Open 9-18.",
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().shortcut, changed.json().text], ["opening", "Open 9-18."]);
    assert.equal((await call("DELETE", `/api/v1/canned-responses/${id}`)).statusCode, 204);
    assert.equal((await call("DELETE", `/api/v1/canned-responses/${id}`)).statusCode, 404);

    const actions = (await call("GET", "/api/v1/audit?limit=50"))
      .json()
      .data.map((a: { action: string; target: string }) => [a.action, a.target]);
    assert.deepEqual(actions.slice(0, 3).reverse(), [
      ["canned_response.create", id],
      ["canned_response.update", id],
      ["canned_response.delete", id],
    ]);
  });

  it("refuses operators' writes, taken shortcuts and bad bodies with stable codes", async () => {
    const operator = await call(
      "POST",
      "/api/v1/canned-responses",
      { shortcut: "x", text: "y" },
      KEYS.agent.key,
    );
    assert.equal(operator.statusCode, 403);
    const first = await call("POST", "/api/v1/canned-responses", {
      shortcut: "thanks",
      text: "Thank you!",
    });
    const second = await call("POST", "/api/v1/canned-responses", {
      shortcut: "bye",
      text: "Bye!",
    });
    const dup = await call("POST", "/api/v1/canned-responses", {
      shortcut: "THANKS",
      text: "again",
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, "MS_SHORTCUT_TAKEN");
    const rename = await call("PUT", `/api/v1/canned-responses/${second.json().id}`, {
      shortcut: "thanks",
      text: "Bye!",
    });
    assert.equal(rename.json().error.code, "MS_SHORTCUT_TAKEN");
    const same = await call("PUT", `/api/v1/canned-responses/${first.json().id}`, {
      shortcut: "thanks",
      text: "Many thanks!",
    });
    assert.equal(same.statusCode, 200, "its own shortcut is not taken");
    const bad = await call("POST", "/api/v1/canned-responses", { shortcut: "a b", text: "" });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "MS_BAD_REQUEST");
    const unknown = await call("PUT", "/api/v1/canned-responses/canned_nope", {
      shortcut: "z",
      text: "z",
    });
    assert.equal(unknown.json().error.code, "MS_NOT_FOUND");
  });
});
