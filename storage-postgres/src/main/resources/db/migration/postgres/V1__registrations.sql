-- Every text column is COLLATE "C": the API orders strings by code point, never by a locale.
-- Keyed by account first, so the table distributes by account_id (Citus) unchanged.
CREATE TABLE registrations (
  account_id        text COLLATE "C" NOT NULL,
  id                text COLLATE "C" NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  last_seen_at      timestamptz NOT NULL,
  device_id         text COLLATE "C" NOT NULL,
  device_name       text COLLATE "C" NOT NULL,
  client_version    text COLLATE "C",
  key               text COLLATE "C" NOT NULL,
  key_type          text COLLATE "C",
  tunnel_type       text COLLATE "C",
  -- A user or policy object may be present with every field null; the flags keep that exact.
  has_user          boolean NOT NULL,
  user_id           text COLLATE "C",
  user_email        text COLLATE "C",
  user_name         text COLLATE "C",
  has_policy        boolean NOT NULL,
  policy_id         text COLLATE "C",
  policy_default    boolean NOT NULL,
  policy_deleted    boolean NOT NULL,
  policy_name       text COLLATE "C",
  policy_updated_at timestamptz,
  revoked_at        timestamptz,
  registration_type text COLLATE "C" NOT NULL,
  -- SearchText.of(registration), folded by the gateway so that every store matches alike.
  search_text       text COLLATE "C" NOT NULL,
  CONSTRAINT registrations_pkey PRIMARY KEY (account_id, id)
);

-- One index per sort order, each ending with id for the tie-break; a backward scan serves desc.
-- The primary key serves sort_by=id.
CREATE INDEX registrations_by_created_at ON registrations (account_id, created_at, id);
CREATE INDEX registrations_by_last_seen_at ON registrations (account_id, last_seen_at, id);
-- A missing name sorts after every name ascending; the leading IS NULL flag puts it there and
-- keeps the keyset predicate one row comparison, since (NULL, id) > (x, y) would be unknown.
CREATE INDEX registrations_by_user_name
  ON registrations (account_id, (user_name IS NULL), coalesce(user_name, ''), id);
CREATE INDEX registrations_by_user_email
  ON registrations (account_id, (user_email IS NULL), coalesce(user_email, ''), id);

-- Equality filters, followed by the default sort so a filtered first page needs no sort either.
CREATE INDEX registrations_by_device ON registrations (account_id, device_id, created_at, id);
CREATE INDEX registrations_by_user ON registrations (account_id, user_id, created_at, id);
CREATE INDEX registrations_by_policy ON registrations (account_id, policy_id, created_at, id);
