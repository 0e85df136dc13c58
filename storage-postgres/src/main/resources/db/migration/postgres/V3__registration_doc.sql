-- The registration as the gateway writes it to a client, stored once with every write (updated_at
-- and revoked_at stay in their columns: revoking changes them without rewriting this), so that a list
-- page is a few columns per row instead of twenty-two. Rows written before this migration have none;
-- the list query builds it for them (RegistrationRows.LIST_COLUMNS).
ALTER TABLE registrations ADD COLUMN doc bytea;
