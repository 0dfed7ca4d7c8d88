-- sfsync: Postgres side of the Salesforce <-> Postgres loop.
--
-- Run once per database as a superuser (it creates roles, and a publication for tables another role owns).
-- Idempotent: re-running it changes nothing that is already in place, and never drops data. Plain SQL without psql meta-commands, so it runs through psql or a JDBC driver.
--
--   psql "postgresql://admin@db:5432/app" -v ON_ERROR_STOP=1 -f setup.sql
--
-- Then give the two roles passwords (kept out of this file on purpose):
--   ALTER ROLE sfsync_replication PASSWORD '...';
--   ALTER ROLE sfsync_writer PASSWORD '...';
--
-- The server needs wal_level=logical (restart), max_replication_slots and max_wal_senders >= 1 free each, and a
-- pg_hba.conf line allowing sfsync_replication to open a replication connection to this database.
-- Conflicts and rejected records land in salesforce.sfsync_conflicts and salesforce.sfsync_errors: the JDBC sinks
-- create those tables from their records' schemas on first use (see README.md), so they are not created here.

-- Everything synced lives in one schema, one table per Salesforce object, lower-case field API names as columns.
CREATE SCHEMA IF NOT EXISTS salesforce;

-- The role the Debezium JDBC sinks connect as. It owns the synced tables because schema evolution (a new custom
-- field in Salesforce becoming a column) runs ALTER TABLE ... ADD COLUMN, which only the owner may do, and it
-- creates the tables of objects added later and the conflicts/errors tables.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sfsync_writer') THEN
        CREATE ROLE sfsync_writer LOGIN;
    END IF;
    -- Debezium's Postgres source: replication connections and reads, nothing more (no superuser). The publication
    -- is created below by this script, so the role needs neither CREATE on the database nor table ownership.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sfsync_replication') THEN
        CREATE ROLE sfsync_replication LOGIN REPLICATION;
    END IF;
END
$$;
-- Also when the roles existed before: the attributes they need, and never superuser.
ALTER ROLE sfsync_writer LOGIN NOREPLICATION NOSUPERUSER;
ALTER ROLE sfsync_replication LOGIN REPLICATION NOSUPERUSER;

GRANT USAGE, CREATE ON SCHEMA salesforce TO sfsync_writer;
GRANT USAGE ON SCHEMA salesforce TO sfsync_replication;

-- sync_key: the Postgres primary key, and the value Salesforce holds in External_Id__c. It defaults to a random
-- uuid so applications can INSERT without choosing one; rows that come from Salesforce carry the record's
-- External_Id__c, or its Id when it has none.
-- sfid: the Salesforce Id, empty for a row inserted in Postgres until Salesforce has created the record.
-- Not unique: a record keyed by its Id whose External_Id__c is set later starts a new row (see salesforce-source).
-- _sync_*: marker columns written only by the Salesforce -> Postgres path (docs/LOOP.md). Never write them.
-- Domain columns: those the examples use. Every other synced field is added by the JDBC sink when it first
-- arrives (schema.evolution=basic). Every column but the key is nullable: a partial UPDATE may arrive first.
CREATE TABLE IF NOT EXISTS salesforce.account (
    sync_key          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    sfid              text,
    name              text,
    phone             text,
    billingcity       text,
    industry          text,
    rating            text,
    annualrevenue     numeric(18, 2),
    numberofemployees integer,
    external_id__c    text,
    _sync_version     text,
    _sync_modified_at timestamp,
    _sync_fields      text,
    _sync_deleted     boolean
);

CREATE TABLE IF NOT EXISTS salesforce.contact (
    sync_key          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    sfid              text,
    firstname         text,
    lastname          text,
    email             text,
    phone             text,
    title             text,
    accountid         text,
    external_id__c    text,
    _sync_version     text,
    _sync_modified_at timestamp,
    _sync_fields      text,
    _sync_deleted     boolean
);

CREATE INDEX IF NOT EXISTS account_sfid ON salesforce.account (sfid);
CREATE INDEX IF NOT EXISTS contact_sfid ON salesforce.contact (sfid);

ALTER TABLE salesforce.account OWNER TO sfsync_writer;
ALTER TABLE salesforce.contact OWNER TO sfsync_writer;

-- The conflict SMT tells a Salesforce write from a user's edit by comparing the marker columns of the before and
-- after images, so every synced table must log its whole old row.
ALTER TABLE salesforce.account REPLICA IDENTITY FULL;
ALTER TABLE salesforce.contact REPLICA IDENTITY FULL;

-- Debezium reads every table of the schema (snapshot, schema of each change); later tables too.
GRANT SELECT ON ALL TABLES IN SCHEMA salesforce TO sfsync_replication;
ALTER DEFAULT PRIVILEGES FOR ROLE sfsync_writer IN SCHEMA salesforce GRANT SELECT ON TABLES TO sfsync_replication;

-- The publication Debezium decodes (pgoutput), created here so Debezium needs no ownership of the tables
-- (publication.autocreate.mode=disabled). Only the synced tables: the conflicts and errors tables are not
-- captured. Truncates are not published: a TRUNCATE is never sent to Salesforce.
-- To sync another object later: create its table like the ones above (REPLICA IDENTITY FULL, owner
-- sfsync_writer), then ALTER PUBLICATION sfsync ADD TABLE salesforce.<object>, then add it to the connectors.
DO $$
DECLARE
    synced text[] := ARRAY['account', 'contact'];
    t text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'sfsync') THEN
        CREATE PUBLICATION sfsync FOR TABLE salesforce.account, salesforce.contact
            WITH (publish = 'insert, update, delete');
    END IF;
    FOREACH t IN ARRAY synced LOOP
        IF NOT EXISTS (SELECT FROM pg_publication_tables
                       WHERE pubname = 'sfsync' AND schemaname = 'salesforce' AND tablename = t) THEN
            EXECUTE format('ALTER PUBLICATION sfsync ADD TABLE salesforce.%I', t);
        END IF;
    END LOOP;
END
$$;
