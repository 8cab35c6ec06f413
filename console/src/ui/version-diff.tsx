import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import { type DiffRow, diffRows } from "../diff-rows.ts";
import type { VersionDiffBody } from "../types.ts";
import { Status } from "./status.tsx";
import { useLoad } from "./use-load.ts";

/** A readable diff between any two versions of an agent document. */
export function VersionDiff(props: {
  agentId: string;
  versions: string[];
  pick?: { from: string; to: string };
}) {
  const [from, setFrom] = useState(props.versions[1] ?? "");
  const [to, setTo] = useState(props.versions[0] ?? "");
  useEffect(() => {
    if (props.pick) {
      setFrom(props.pick.from);
      setTo(props.pick.to);
    }
  }, [props.pick]);
  const diff = useLoad(
    () =>
      from === to
        ? Promise.resolve<DiffRow[]>([{ op: "same", text: "(the same version)" }])
        : api<VersionDiffBody>(`/api/v1/agents/${props.agentId}/versions/${from}/diff/${to}`).then(
            (d) => diffRows(d.changes),
          ),
    [props.agentId, from, to],
  );
  const select = (id: string, label: string, value: string, set: (v: string) => void) => (
    <label for={id}>
      {label}
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {props.versions.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="diff-title">
      <h3 id="diff-title">Diff</h3>
      <div class="filters">
        {select("diff-from", "From", from, setFrom)}
        {select("diff-to", "To", to, setTo)}
      </div>
      <Status loading={diff.loading && !diff.data} error={diff.error}>
        <pre class="diff">
          {(diff.data ?? []).map((row, i) => (
            <span key={i} class={row.op}>
              {row.text}
              {"\n"}
            </span>
          ))}
        </pre>
      </Status>
    </section>
  );
}
