-- A rule set version is what stored decisions name (lead_decision.rule_version): replaying a
-- day re-runs each decision under its version, so a version's definition can never change.
-- Its life cycle (draft, active, retired) can; a change of rules is a new version.
CREATE FUNCTION rule_set_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'rule_set versions are never deleted: decisions replay under them'
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.version IS DISTINCT FROM OLD.version OR NEW.definition IS DISTINCT FROM OLD.definition
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'a rule_set version is immutable: save a new version instead'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER rule_set_immutable BEFORE UPDATE OR DELETE ON rule_set
  FOR EACH ROW EXECUTE FUNCTION rule_set_immutable();
