-- The job running a drill's restores, so that a drill whose job was retried out (its runner died during every
-- attempt) is found and failed instead of staying "running" until a person cancels it. No foreign key: the jobs
-- table belongs to the job runner, which may purge its rows.
ALTER TABLE dr_drills ADD COLUMN job_id uuid;
CREATE INDEX dr_drills_running_job_idx ON dr_drills (job_id) WHERE status = 'running';
