import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { channelTraitsOf } from "../channels/index.ts";
import {
  describeIssues,
  findingTypes,
  type Guard,
  guardRequestSchema,
  runPolicyCases,
  toGuardResponse,
} from "../guardrails/index.ts";
import { MainstayError } from "../shared/errors.ts";

const MAX_BATCH = 1000;
const bodySchema = z.union([guardRequestSchema, z.array(guardRequestSchema).max(MAX_BATCH)]);

/**
 * `POST /api/v1/guard`: the same request and decision shapes as `mainstay guard`, one
 * object or an array of up to 1000. Auth and error mapping belong to the app.
 */
export async function guardRoutes(app: FastifyInstance, opts: { guard: Guard }): Promise<void> {
  app.post("/api/v1/guard", async (request) => {
    const body = bodySchema.safeParse(request.body);
    if (!body.success) throw new MainstayError("MS_BAD_REQUEST", describeIssues(body.error), 400);
    const check = async ({ id, ...input }: z.output<typeof guardRequestSchema>) =>
      toGuardResponse(id, await opts.guard.screen(input));
    return Array.isArray(body.data) ? Promise.all(body.data.map(check)) : check(body.data);
  });

  // The server policy's own `cases:`, for the console's playground.
  app.get("/api/v1/guard/tests", async () => ({
    data: opts.guard.policy.cases.map((c) => ({ name: c.name, input: c.input, expect: c.expect })),
  }));

  app.post("/api/v1/guard/tests/run", async () => {
    const results = runPolicyCases(opts.guard.policy, { channelTraits: channelTraitsOf });
    return {
      data: results.map((r, i) => ({
        name: r.name,
        input: opts.guard.policy.cases[i]!.input,
        expect: r.expected,
        passed: r.passed,
        mismatches: r.mismatches,
        actual: {
          action: r.decision.action,
          findings: findingTypes(r.decision),
          text: r.decision.text,
        },
      })),
      passed: results.filter((r) => r.passed).length,
      failed: results.filter((r) => !r.passed).length,
    };
  });
}
