-- Row-level security in PostgreSQL, behind the app's own filters (security/visibility.ts):
-- a list or read that runs inside security/row-security.ts (as leadwire_reader, in a
-- read-only transaction) sees only the rows its principal may see, even if its query forgot
-- the filter. The app's own role owns the tables (or is a superuser), which row security
-- does not restrict without FORCE: ingestion, workers and every write are unaffected.
--
-- Who may see what is passed in transaction-local settings (set_config(..., true)), one per
-- table because a role's row scope is per object:
--   leadwire.user_id          the principal, for records shared with them (record_share);
--   leadwire.owners_<table>   '*' for every row, else a text array literal of owner ids.
-- A setting that is missing or empty shows nothing.

-- Roles belong to the cluster, not the database: another database (a test clone, a second
-- environment) may have created it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadwire_reader') THEN
    CREATE ROLE leadwire_reader NOLOGIN;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'cannot create role leadwire_reader'
    USING HINT = 'Ask a database administrator to run: CREATE ROLE leadwire_reader NOLOGIN; GRANT leadwire_reader TO '
      || current_user || ';';
END $$;

-- The app's role switches to leadwire_reader with SET LOCAL ROLE, which needs membership
-- with the SET option (PostgreSQL 16+; before, any membership). A superuser needs none, and
-- a role that already has it may not be allowed to grant it again.
DO $$
DECLARE
  can_set boolean := CASE WHEN current_setting('server_version_num')::int >= 160000
                          THEN pg_has_role(current_user, 'leadwire_reader', 'SET')
                          ELSE pg_has_role(current_user, 'leadwire_reader', 'MEMBER') END;
BEGIN
  IF NOT can_set THEN
    EXECUTE format('GRANT leadwire_reader TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'cannot grant role leadwire_reader to %', current_user
    USING HINT = 'Ask a database administrator to run: GRANT leadwire_reader TO ' || current_user || ';';
END $$;

GRANT USAGE ON SCHEMA public TO leadwire_reader;
GRANT SELECT ON "lead", "account", "contact", "opportunity", "task", "record_share" TO leadwire_reader;
-- Owners' names and reporting lines, never their password hashes.
GRANT SELECT ("id", "name", "email", "role", "manager_id", "team_id", "is_active") ON "app_user" TO leadwire_reader;

-- Scalar helpers, called as (SELECT f(...)) in the policies so each is evaluated once per
-- query (an InitPlan), not once per row. The cast in `= ANY ((SELECT ...)::text[])` makes
-- it an array to search, not a subquery whose rows are compared.
CREATE FUNCTION leadwire_sees_all(tbl text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('leadwire.owners_' || tbl, true) = '*', false)
$$;

CREATE FUNCTION leadwire_owners(tbl text) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN coalesce(current_setting('leadwire.owners_' || tbl, true), '') IN ('', '*') THEN '{}'::text[]
              ELSE current_setting('leadwire.owners_' || tbl, true)::text[] END
$$;

CREATE FUNCTION leadwire_shared(tbl text) RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg("record_id"), '{}') FROM "record_share"
  WHERE "record_type" = tbl AND "user_id" = current_setting('leadwire.user_id', true)
$$;

ALTER TABLE "lead" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "account" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "contact" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "opportunity" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "task" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "record_share" ENABLE ROW LEVEL SECURITY;

-- Policies grant reading only: leadwire_reader has no write privilege, so nothing else is
-- needed to refuse writes. A principal reads only the shares made to them.
CREATE POLICY "record_share_own" ON "record_share" FOR SELECT TO leadwire_reader
  USING ("user_id" = current_setting('leadwire.user_id', true));

CREATE POLICY "lead_visible" ON "lead" FOR SELECT TO leadwire_reader USING (
  (SELECT leadwire_sees_all('lead'))
  OR "owner_id" = ANY ((SELECT leadwire_owners('lead'))::text[])
  OR "id" = ANY ((SELECT leadwire_shared('lead'))::uuid[])
);

CREATE POLICY "account_visible" ON "account" FOR SELECT TO leadwire_reader USING (
  (SELECT leadwire_sees_all('account'))
  OR "owner_id" = ANY ((SELECT leadwire_owners('account'))::text[])
  OR "id" = ANY ((SELECT leadwire_shared('account'))::uuid[])
);

-- A contact is visible with its account; the account's own policy applies inside.
CREATE POLICY "contact_visible" ON "contact" FOR SELECT TO leadwire_reader USING (
  (SELECT leadwire_sees_all('contact'))
  OR EXISTS (SELECT 1 FROM "account" a WHERE a."id" = "contact"."account_id")
);

-- A deal is visible to its owner's line, to whoever it is shared with, and with its account.
CREATE POLICY "opportunity_visible" ON "opportunity" FOR SELECT TO leadwire_reader USING (
  (SELECT leadwire_sees_all('opportunity'))
  OR "owner_id" = ANY ((SELECT leadwire_owners('opportunity'))::text[])
  OR "id" = ANY ((SELECT leadwire_shared('opportunity'))::uuid[])
  OR EXISTS (SELECT 1 FROM "account" a WHERE a."id" = "opportunity"."account_id")
);

CREATE POLICY "task_visible" ON "task" FOR SELECT TO leadwire_reader USING (
  (SELECT leadwire_sees_all('task'))
  OR "assignee_id" = ANY ((SELECT leadwire_owners('task'))::text[])
);
