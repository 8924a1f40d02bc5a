import { z } from 'zod';
import { labelSet } from './common.js';

export interface RouteNodeView {
  /** Depth-first position in the tree: unique, stable for one configuration. */
  readonly index: number;
  /** Alertmanager's route id (its matchers from the root down). */
  readonly id: string;
  readonly receiver: string;
  readonly matchers: string[];
  readonly continue: boolean;
  /** Effective options (inherited where the route does not set them). */
  readonly group_by: string[];
  readonly group_wait_ms: number;
  readonly group_interval_ms: number;
  readonly repeat_interval_ms: number;
  readonly routes: RouteNodeView[];
}

export const routeNodeSchema: z.ZodType<RouteNodeView> = z.lazy(() =>
  z.object({
    index: z.number(),
    id: z.string(),
    receiver: z.string(),
    matchers: z.array(z.string()),
    continue: z.boolean(),
    group_by: z.array(z.string()),
    group_wait_ms: z.number(),
    group_interval_ms: z.number(),
    repeat_interval_ms: z.number(),
    routes: z.array(routeNodeSchema),
  }),
);

export const routingResponseSchema = z.object({ route: routeNodeSchema, receivers: z.array(z.string()) });
export type RoutingResponse = z.infer<typeof routingResponseSchema>;

export const routeTestBody = z.strictObject({ labels: labelSet });
export type RouteTestBody = z.input<typeof routeTestBody>;

/**
 * Where an alert with these labels goes, as Alertmanager's dispatcher decides: `matches` are
 * the routes it ends at (several with `continue`), each with the path from the root and the
 * labels it would be grouped by; `visited` is every route whose matchers were evaluated.
 */
export const routeTestResponseSchema = z.object({
  labels: labelSet,
  matches: z.array(z.object({ index: z.number(), id: z.string(), receiver: z.string(), path: z.array(z.number()), group_labels: labelSet })),
  visited: z.array(z.object({ index: z.number(), matched: z.boolean() })),
});
export type RouteTestResponse = z.infer<typeof routeTestResponseSchema>;
