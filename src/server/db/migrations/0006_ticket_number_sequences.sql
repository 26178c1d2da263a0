-- Ticket numbers from one sequence per type instead of a counter row. The counter row was locked from the
-- number's allocation to the commit, so ticket creation was serialised per type; nextval never waits.
-- The guarantees stay: numbers are unique per type (the unique (type, number) constraint is unchanged), and
-- a rolled-back creation may leave a gap, as before.
CREATE SEQUENCE ticket_number_incident;
CREATE SEQUENCE ticket_number_request;
CREATE SEQUENCE ticket_number_problem;
SELECT setval('ticket_number_incident', greatest(last, 1), last > 0) FROM ticket_counters WHERE type = 'incident';
SELECT setval('ticket_number_request', greatest(last, 1), last > 0) FROM ticket_counters WHERE type = 'request';
SELECT setval('ticket_number_problem', greatest(last, 1), last > 0) FROM ticket_counters WHERE type = 'problem';
DROP TABLE ticket_counters;
