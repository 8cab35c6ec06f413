import { useState } from "preact/hooks";
import { api, query } from "../api.ts";
import { time } from "../format.ts";
import type { AuditEntry, Page } from "../types.ts";
import { Badge, Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";

interface Verification {
  ok: boolean;
  [key: string]: unknown;
}

/** The audit log, newest first, filterable, with the hash chain's verification. */
export function Audit() {
  const [filters, setFilters] = useState({ action: "", actor: "", target: "" });
  const [draft, setDraft] = useState(filters);
  const [cursor, setCursor] = useState<string>();
  const list = useLoad(
    () => api<Page<AuditEntry>>(`/api/v1/audit${query({ ...filters, cursor, limit: 50 })}`),
    [filters, cursor],
  );
  const verify = useLoad(() => api<Verification>("/api/v1/audit/verify"), []);
  const field = (name: keyof typeof draft, label: string) => (
    <label>
      {label}
      <input
        value={draft[name]}
        onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value.trim() })}
      />
    </label>
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p>
        Chain:{" "}
        <Status inline loading={verify.loading} error={verify.error}>
          {verify.data &&
            (verify.data.ok ? (
              <Badge kind="ok">verified</Badge>
            ) : (
              <Badge kind="failed" title={JSON.stringify(verify.data)}>
                broken
              </Badge>
            ))}{" "}
          <button type="button" onClick={verify.reload}>
            Verify again
          </button>
        </Status>
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor(undefined);
          setFilters(draft);
        }}
      >
        {field("action", "Action")}
        {field("actor", "Actor")}
        {field("target", "Target")}
        <button type="submit">Filter</button>
      </form>
      <Status loading={list.loading && !list.data} error={list.error}>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.data ?? []).map((a) => (
                <tr key={a.seq}>
                  <td>{a.seq}</td>
                  <td>{time(a.createdAt)}</td>
                  <td>{a.actor}</td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>{a.target ?? ""}</td>
                  <td class="data">{JSON.stringify(a.data)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {list.data?.data.length === 0 && <p class="muted">No entries.</p>}
        <div class="actions">
          {cursor && (
            <button type="button" onClick={() => setCursor(undefined)}>
              Newest
            </button>
          )}
          {list.data?.nextCursor && (
            <button type="button" onClick={() => setCursor(list.data!.nextCursor!)}>
              Older
            </button>
          )}
        </div>
      </Status>
    </section>
  );
}
