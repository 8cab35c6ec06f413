import { z } from "zod";

// The task format of sierra-research/tau2-bench (MIT licence), from its pydantic models in
// src/tau2/data_model/tasks.py: only the fields the importer reads are typed; the rest
// (ticket, issues, required_documents, user_tools...) are accepted and left alone.

const text = z.string().nullish();

const instructions = z.union([
  z.string(),
  z
    .object({
      domain: z.string(),
      reason_for_call: z.string(),
      known_info: text,
      unknown_info: text,
      task_instructions: z.string(),
    })
    .loose(),
]);

const action = z
  .object({
    action_id: z.string(),
    requestor: z.enum(["assistant", "user"]).default("assistant"),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
    info: text,
    /** The arguments compared; every argument when absent. */
    compare_args: z.array(z.string()).nullish(),
  })
  .loose();

export const tau2TaskSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    description: z
      .object({ purpose: text, relevant_policies: text, notes: text })
      .loose()
      .nullish(),
    user_scenario: z.object({ persona: text, instructions }).loose(),
    initial_state: z.unknown().optional(),
    evaluation_criteria: z
      .object({
        actions: z.array(action).nullish(),
        env_assertions: z.array(z.unknown()).nullish(),
        communicate_info: z.array(z.string()).nullish(),
        nl_assertions: z.array(z.string()).nullish(),
        reward_basis: z.array(z.string()).nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

export type Tau2Task = z.infer<typeof tau2TaskSchema>;
export type Tau2Action = z.infer<typeof action>;
