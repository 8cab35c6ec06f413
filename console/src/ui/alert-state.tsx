import { type Quantity, quantityOfMetric, reading } from "../chart-scale.ts";
import { time } from "../format.ts";
import type { AlertRuleState, FiringAlert } from "../types.ts";
import { Badge } from "./status.tsx";

/** `above 50 %`, `increase 100 % against baseline`: a rule's condition in the metric's unit. */
function conditionText(rule: AlertRuleState, quantity: Quantity): string {
  const c = rule.condition;
  const parts: string[] = [];
  for (const key of ["above", "below"] as const) {
    if (typeof c[key] === "number") parts.push(`${key} ${reading(quantity, c[key] as number)}`);
  }
  for (const key of ["increase", "decrease"] as const) {
    if (typeof c[key] === "number") {
      parts.push(`${key} ${reading("ratio", c[key] as number)} against ${String(c["against"])}`);
    }
  }
  return parts.join(" and ");
}

/** `version v_1a2b… on sms`, or `all versions` for an ungrouped rule. */
function labelsText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "all versions";
  return entries.map(([k, v]) => `${k} ${v}`).join(", ");
}

function FiringLine(props: { rule: AlertRuleState; alert: FiringAlert; quantity: Quantity }) {
  const { rule, alert, quantity } = props;
  return (
    <li class="firing-alert">
      <strong>{rule.name}</strong> firing for <code>{labelsText(alert.labels)}</code>: {rule.metric}{" "}
      was <strong>{reading(quantity, alert.value)}</strong>
      {alert.reference !== null && <> (reference {reading(quantity, alert.reference)})</>}, rule{" "}
      {conditionText(rule, quantity)} over {rule.windowMinutes} min{" "}
      <span class="muted">since {time(alert.since)}</span>
    </li>
  );
}

/**
 * Every alert rule in force with its state, and each firing alert named: the rule, the
 * label set (agent version, channel) and the value that fired. The count is of the
 * firing alerts listed, so it always matches the rules shown.
 */
export function AlertState(props: { rules: AlertRuleState[] }) {
  const firing = props.rules.flatMap((rule) => rule.firing.map((alert) => ({ rule, alert })));
  return (
    <>
      <p>
        Alert state:{" "}
        {firing.length ? (
          <Badge kind="firing">{firing.length} firing</Badge>
        ) : (
          <Badge kind="ok">all clear</Badge>
        )}
      </p>
      {firing.length > 0 && (
        <ul class="rows" aria-label="Firing alerts">
          {firing.map(({ rule, alert }) => (
            <FiringLine
              key={`${rule.name}:${JSON.stringify(alert.labels)}`}
              rule={rule}
              alert={alert}
              quantity={quantityOfMetric(rule.metric)}
            />
          ))}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Metric</th>
            <th scope="col">Fires when</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {props.rules.map((rule) => (
            <tr key={rule.name} data-rule={rule.name}>
              <td>{rule.name}</td>
              <td>
                <code>{rule.metric}</code>
              </td>
              <td>
                {conditionText(rule, quantityOfMetric(rule.metric))} over {rule.windowMinutes} min
              </td>
              <td>
                {rule.enabled ? (
                  <Badge kind={rule.state}>
                    {rule.state === "firing" ? `firing (${rule.firing.length})` : "ok"}
                  </Badge>
                ) : (
                  <Badge kind="closed">disabled</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
