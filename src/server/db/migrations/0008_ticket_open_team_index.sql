-- A team's open queue, newest first, with more filters (type, priority): at 1,000,000 tickets the planner
-- ANDed the open-priority bitmap with tickets_team_idx (every status of the team) and sorted ~1,500 rows
-- (p95 ~34 ms). Over open tickets only, (team_id, created_at, id) is walked in order and stops at the page.
CREATE INDEX tickets_open_team_created_idx ON tickets (team_id, created_at, id)
  WHERE status IN ('new', 'assigned', 'in_progress', 'pending');
