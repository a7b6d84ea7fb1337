-- Up Migration

-- Personal data lives only in case_personal (sealed). Every other table holds facts that may outlive a purge:
-- they feed the DDAS statistics and the reach funnel.

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  key_hash text NOT NULL UNIQUE,
  municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
  role text NOT NULL CHECK (role IN ('intake', 'staff', 'admin')),
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE signals (
  municipality text NOT NULL,
  signal_id text NOT NULL,
  case_id text NOT NULL,
  -- Null until the case workflow has taken the signal into a round.
  round integer,
  partner_type text NOT NULL,
  amount numeric(12, 2) NOT NULL,
  signaaldatum date NOT NULL,
  ontstaansdatum date,
  crisis boolean NOT NULL DEFAULT false,
  warme_overdracht boolean,
  received_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'Nog niet opgepakt',
  repeat boolean NOT NULL DEFAULT false,
  resolved boolean NOT NULL DEFAULT false,
  -- Intake inserts the row first and sets this once signal-with-start succeeded; a re-post redelivers rows
  -- still false after a crash in between.
  delivered boolean NOT NULL DEFAULT false,
  PRIMARY KEY (municipality, signal_id)
);
CREATE INDEX signals_case ON signals (case_id, round);
CREATE INDEX signals_received ON signals (municipality, received_at);

-- One row per round (vroegsignaalzaak) of a household case.
CREATE TABLE cases (
  case_ref text PRIMARY KEY,
  case_id text NOT NULL,
  municipality text NOT NULL,
  round integer NOT NULL,
  status text NOT NULL,
  segment text,
  result text,
  reached boolean NOT NULL DEFAULT false,
  signal_ids text[] NOT NULL DEFAULT '{}',
  matched_at timestamptz,
  reached_at timestamptz,
  closed_at timestamptz,
  policy_name text,
  policy_version integer,
  -- The workflow's CaseView, which by contract carries no personal data. Null for rounds only known from a summary.
  view jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, round)
);
CREATE INDEX cases_municipality ON cases (municipality, case_id, round DESC);
CREATE INDEX cases_matched ON cases (municipality, matched_at);

CREATE TABLE case_personal (
  municipality text NOT NULL,
  signal_id text NOT NULL,
  case_id text NOT NULL,
  -- field-crypto sealJson of the signal's client, AAD = [municipality, case_id].
  client_sealed text NOT NULL,
  -- blindIndex of the E.164 phone number, to find the case of an inbound SMS without decrypting.
  phone_index text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality, signal_id)
);
CREATE INDEX case_personal_case ON case_personal (case_id);
CREATE INDEX case_personal_phone ON case_personal (phone_index) WHERE phone_index IS NOT NULL;

CREATE TABLE contact_attempts (
  case_ref text NOT NULL REFERENCES cases (case_ref) ON DELETE CASCADE,
  seq integer NOT NULL,
  soort text NOT NULL,
  bereikt boolean NOT NULL,
  datum date NOT NULL,
  dagdeel text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (case_ref, seq)
);

CREATE TABLE handovers (
  case_ref text NOT NULL REFERENCES cases (case_ref) ON DELETE CASCADE,
  seq integer NOT NULL,
  target text NOT NULL,
  at timestamptz NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (case_ref, seq)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  municipality text NOT NULL,
  key_id text,
  role text NOT NULL,
  case_id text,
  action text NOT NULL,
  -- requested, then accepted / rejected / failed: a crash between the two still leaves the attempt on record.
  outcome text NOT NULL DEFAULT 'requested',
  request_id text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);
CREATE INDEX audit_log_municipality ON audit_log (municipality, at);

-- Down Migration

DROP TABLE audit_log;
DROP TABLE handovers;
DROP TABLE contact_attempts;
DROP TABLE case_personal;
DROP TABLE cases;
DROP TABLE signals;
DROP TABLE api_keys;
