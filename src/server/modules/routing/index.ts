/**
 * Routing rules: ordered, admin-edited rules that route a ticket when it is created (team, agent, priority,
 * category, watchers), with assignment inside a team by round-robin or fewest open tickets.
 */
export { applyRouting, enabledRules, type EnabledRules, pickAssignee, type RoutingOutcome } from './apply.js';
export { type AssetMatcher, setAssetMatcher } from './conditions.js';
export { routingRoutes } from './routing.routes.js';
