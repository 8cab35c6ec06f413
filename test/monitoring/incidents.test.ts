import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  acknowledgeIncident,
  appendIncidentEvent,
  incidentForAlert,
  openIncident,
  resolveIncident,
} from "../../src/monitoring/index.ts";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0);

for (const backend of backends) {
  describe(`incidents: ${backend.name}`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(() => close?.());

    async function open(): Promise<Store> {
      const opened = await openBackendStore(backend, T0);
      close = opened.close;
      return opened.store;
    }

    const rollback = {
      title: "Rollout r1 rolled back",
      severity: "critical",
      source: "rollout",
    } as const;

    it("opens once per key while unresolved, even from two instances at once", async () => {
      const store = await open();
      const [a, b] = await Promise.all([
        store.transaction((tx) => openIncident(tx, { ...rollback, key: "rollout:r1" }, T0)),
        store.transaction((tx) => openIncident(tx, { ...rollback, key: "rollout:r1" }, T0)),
      ]);
      assert.equal(a.incident.id, b.incident.id);
      assert.deepEqual([a.created, b.created].sort(), [false, true]);
      assert.deepEqual(
        (await store.incidents.events(a.incident.id)).map((e) => [e.type, e.actor]),
        [["incident.opened", "mainstay"]],
      );

      await store.transaction((tx) =>
        appendIncidentEvent(
          tx,
          a.incident.id,
          { type: "rollout.decision", actor: "mainstay", data: { action: "rollback" } },
          T0 + 1,
        ),
      );
      await store.transaction((tx) => resolveIncident(tx, a.incident.id, "ops", "fixed", T0 + 2));
      // Resolved: the key is free again, and a new incident opens.
      const again = await store.transaction((tx) =>
        openIncident(tx, { ...rollback, key: "rollout:r1" }, T0 + 3),
      );
      assert.equal(again.created, true);
      assert.notEqual(again.incident.id, a.incident.id);
      assert.deepEqual(
        (await store.incidents.events(a.incident.id)).map((e) => [e.type, e.data]),
        [
          ["incident.opened", { title: rollback.title, severity: "critical", source: "rollout" }],
          ["rollout.decision", { action: "rollback" }],
          ["incident.resolved", { note: "fixed" }],
        ],
      );
    });

    it("acknowledges and resolves idempotently; a resolved incident is not acknowledged", async () => {
      const store = await open();
      const { incident } = await store.transaction((tx) => openIncident(tx, rollback, T0));
      const acked = await store.transaction((tx) =>
        acknowledgeIncident(tx, incident.id, "ada", T0 + 5),
      );
      assert.deepEqual(
        [acked.status, acked.acknowledgedBy, acked.acknowledgedAt],
        ["acknowledged", "ada", T0 + 5],
      );
      await store.transaction((tx) => acknowledgeIncident(tx, incident.id, "bob", T0 + 6));
      const resolved = await store.transaction((tx) =>
        resolveIncident(tx, incident.id, "ada", undefined, T0 + 7),
      );
      await store.transaction((tx) => resolveIncident(tx, incident.id, "bob", undefined, T0 + 8));
      assert.deepEqual([resolved.status, resolved.resolvedBy], ["resolved", "ada"]);
      assert.deepEqual(
        (await store.incidents.events(incident.id)).map((e) => [e.type, e.actor]),
        [
          ["incident.opened", "mainstay"],
          ["incident.acknowledged", "ada"],
          ["incident.resolved", "ada"],
        ],
      );
      await assert.rejects(
        store.transaction((tx) => acknowledgeIncident(tx, incident.id, "bob", T0 + 9)),
        { code: "MS_INCIDENT_RESOLVED", status: 409 },
      );
      await assert.rejects(
        store.transaction((tx) =>
          appendIncidentEvent(tx, "inc_missing", { type: "note", actor: "x", data: {} }, T0),
        ),
        { code: "MS_NOT_FOUND", status: 404 },
      );
    });

    it("puts an alert into the open incident, raising its severity", async () => {
      const store = await open();
      const alert = { title: "errors firing", data: {} };
      const first = await store.transaction((tx) =>
        incidentForAlert(tx, { ...alert, severity: "info" }, T0),
      );
      assert.equal(first.source, "alert");
      const second = await store.transaction((tx) =>
        incidentForAlert(tx, { ...alert, severity: "critical" }, T0 + 1),
      );
      assert.equal(second.id, first.id);
      assert.equal((await store.incidents.get(first.id))?.severity, "critical");
      // A rollback's incident, opened later, is where the next alerts go.
      const { incident } = await store.transaction((tx) =>
        openIncident(tx, { ...rollback, key: "rollout:r2" }, T0 + 2),
      );
      const third = await store.transaction((tx) =>
        incidentForAlert(tx, { ...alert, severity: "warning" }, T0 + 3),
      );
      assert.equal(third.id, incident.id);
    });
  });
}
