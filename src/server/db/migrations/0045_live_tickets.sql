-- Live updates (issue 24): every write to a ticket or its timeline tells the listening Steward processes which
-- ticket changed, inside the writing transaction (pg_notify is delivered on commit and dropped on rollback;
-- identical notifications of one transaction are sent once). Triggers rather than calls in each write path, so
-- no path (bulk updates, e-mail, jobs, other modules through the tickets service) can forget it. The payload
-- is the ticket id only: each listener decides per subscriber whether they may see the ticket.
CREATE FUNCTION tickets_live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'tickets' THEN
    PERFORM pg_notify('steward_live', 'ticket:' || NEW.id::text);
  ELSE
    PERFORM pg_notify('steward_live', 'ticket:' || NEW.ticket_id::text);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tickets_live_notify AFTER INSERT OR UPDATE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_live_notify();
CREATE TRIGGER ticket_events_live_notify AFTER INSERT ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION tickets_live_notify();
