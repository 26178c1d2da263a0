-- The agents list is paged newest enrolment first (an estate has thousands of machines; it was cut at 1,000).
CREATE INDEX agents_created_idx ON agents (created_at DESC, id DESC);
