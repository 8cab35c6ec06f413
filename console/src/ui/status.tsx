import type { ComponentChildren } from "preact";

/** Loading and error lines, announced to screen readers. */
export function Status(props: {
  loading?: boolean;
  error?: string;
  /** Inside a line of text (a span, not a paragraph). */
  inline?: boolean;
  children?: ComponentChildren;
}) {
  const Tag = props.inline ? "span" : "p";
  if (props.error) {
    return (
      <Tag class="error" role="alert">
        {props.error}
      </Tag>
    );
  }
  if (props.loading) {
    return (
      <Tag class="muted" aria-live="polite">
        Loading…
      </Tag>
    );
  }
  return <>{props.children}</>;
}

export function Badge(props: { kind?: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge ${props.kind ?? ""}`} title={props.title}>
      {props.children}
    </span>
  );
}
