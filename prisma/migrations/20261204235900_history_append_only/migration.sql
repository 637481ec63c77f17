-- A deviation's history is append-only: an event can be neither changed nor deleted on its own.
-- Deleting its deviation still removes it through the foreign key's ON DELETE CASCADE, whose
-- delete runs one trigger level deeper, and TRUNCATE fires no row triggers.
--
-- Prisma's PostgreSQL adapter splits a migration at every semicolon, so the function body is
-- an E'' string whose semicolons are written as the octal escape \073.
CREATE FUNCTION "avvik_history_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND pg_trigger_depth() > 1 THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''The history of a deviation is append-only: % of event % rejected.'', TG_OP, OLD.id
    USING ERRCODE = ''restrict_violation'', HINT = ''Record a correction as a new event instead.''\073
END\073
';

CREATE TRIGGER "DeviationEvent_append_only"
  BEFORE UPDATE OR DELETE ON "DeviationEvent"
  FOR EACH ROW EXECUTE FUNCTION "avvik_history_append_only"();
