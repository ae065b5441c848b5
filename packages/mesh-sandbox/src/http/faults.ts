import { z } from 'zod';
import { ServerName } from './requestLog';

/** Input for one fault rule, as accepted programmatically and by the admin endpoint. */
export const faultRuleSchema = z.object({
  server: z
    .enum(['kubernetes', 'metrics', 'tempo'])
    .optional()
    .describe('Which server the rule applies to; all when absent'),
  method: z
    .string()
    .regex(/^[A-Za-z*]+$/, 'method must be an HTTP method such as GET, or *')
    .optional()
    .describe('HTTP method (GET, POST, PATCH, ...); any when absent or *'),
  path: z
    .string()
    .min(1, 'path must be a glob such as /api/v1/namespaces/*/pods*')
    .describe('Glob on the URL path; * matches any characters'),
  status: z
    .number()
    .int()
    .min(100)
    .max(599)
    .optional()
    .describe('Answer with this HTTP status instead of the real response'),
  delayMs: z
    .number()
    .int()
    .min(0)
    .max(600000)
    .optional()
    .describe('Wait this long before answering'),
  times: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Apply to this many matching requests, then expire; forever when absent',
    ),
  message: z.string().optional().describe('Error message for injected errors'),
});

/** A fault rule as given by the caller. */
export type FaultRuleInput = z.infer<typeof faultRuleSchema>;

/** A stored fault rule. */
export interface FaultRule extends FaultRuleInput {
  id: string;
  /** How many requests it has hit so far. */
  hits: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * Fault and latency injection: rules matched on server, HTTP method and a
 * glob on the path. The first matching rule wins.
 */
export class Faults {
  private rules: Array<FaultRule & { pattern: RegExp }> = [];
  private nextId = 1;

  /** Adds a rule; throws a ZodError naming the bad field. */
  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule = {
      ...parsed,
      id: String(this.nextId++),
      hits: 0,
      pattern: globToRegExp(parsed.path),
    };
    this.rules.push(rule);
    return this.public(rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter(r => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(r => this.public(r));
  }

  /** The rule that applies to a request (counting the hit), if any. */
  match(
    server: ServerName,
    method: string,
    path: string,
  ): FaultRule | undefined {
    const rule = this.rules.find(
      r =>
        (!r.server || r.server === server) &&
        (!r.method || r.method === '*' || r.method.toUpperCase() === method) &&
        r.pattern.test(path),
    );
    if (!rule) return undefined;
    rule.hits += 1;
    if (rule.times !== undefined && rule.hits >= rule.times) {
      this.remove(rule.id);
    }
    return this.public(rule);
  }

  private public(rule: FaultRule & { pattern?: RegExp }): FaultRule {
    const { pattern, ...rest } = rule;
    return { ...rest };
  }
}
