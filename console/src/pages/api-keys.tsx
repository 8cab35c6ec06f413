import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { time } from "../format.ts";
import type { ApiKey } from "../types.ts";
import { Badge, Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";

const ids = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Managed API keys (admins): create and rotate show the token once; revoke ends a key. */
export function ApiKeys() {
  const list = useLoad(() => api<{ data: ApiKey[] }>("/api/v1/api-keys"), []);
  const [draft, setDraft] = useState({ name: "", role: "viewer", channels: "", agents: "" });
  const [shown, setShown] = useState<{ name: string; token: string }>();
  const [error, setError] = useState<string>();

  async function act(run: () => Promise<{ name: string; token?: string } | undefined>) {
    setError(undefined);
    try {
      const key = await run();
      setShown(key?.token ? { name: key.name, token: key.token } : undefined);
      list.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  function create(e: Event) {
    e.preventDefault();
    const channels = ids(draft.channels);
    const agents = ids(draft.agents);
    const scopes = {
      ...(channels.length ? { channels } : {}),
      ...(agents.length ? { agents } : {}),
    };
    const body = {
      name: draft.name,
      role: draft.role,
      ...(channels.length || agents.length ? { scopes } : {}),
    };
    return act(() => api<ApiKey & { token: string }>("/api/v1/api-keys", { method: "POST", body }));
  }
  const rotate = (k: ApiKey) =>
    act(() =>
      api<ApiKey & { token: string }>(`/api/v1/api-keys/${k.id}/rotate`, { method: "POST" }),
    );
  const revoke = (k: ApiKey) =>
    confirm(`Revoke "${k.name}"? Every instance refuses it at once.`) &&
    act(async () => {
      await api(`/api/v1/api-keys/${k.id}`, { method: "DELETE" });
      return undefined;
    });

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      {shown && (
        <div class="token-once" role="status">
          <p>
            Token of <strong>{shown.name}</strong>, shown only now:
          </p>
          <code data-testid="new-token">{shown.token}</code>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form class="filters" onSubmit={create}>
        <label>
          Name
          <input
            required
            value={draft.name}
            onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value.trim() })}
          />
        </label>
        <label>
          Role
          <select
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value })}
          >
            <option value="viewer">viewer</option>
            <option value="agent">agent</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Channels (optional)
          <input
            value={draft.channels}
            onInput={(e) => setDraft({ ...draft, channels: e.currentTarget.value })}
          />
        </label>
        <label>
          Agents (optional)
          <input
            value={draft.agents}
            onInput={(e) => setDraft({ ...draft, agents: e.currentTarget.value })}
          />
        </label>
        <button type="submit">Create key</button>
      </form>
      <Status loading={list.loading && !list.data} error={list.error}>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.data ?? []).map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <code>{k.tokenPrefix}…</code>
                  </td>
                  <td>{k.scopes ? JSON.stringify(k.scopes) : "all"}</td>
                  <td>
                    <Badge kind={k.status === "live" ? "ok" : "failed"}>{k.status}</Badge>
                  </td>
                  <td>
                    {time(k.createdAt)} by {k.createdBy}
                  </td>
                  <td>{k.lastUsedAt ? time(k.lastUsedAt) : "never"}</td>
                  <td>
                    {k.status === "live" && (
                      <>
                        <button type="button" onClick={() => rotate(k)}>
                          Rotate
                        </button>{" "}
                        <button type="button" onClick={() => revoke(k)}>
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {list.data?.data.length === 0 && <p class="muted">No managed keys yet.</p>}
      </Status>
    </section>
  );
}
