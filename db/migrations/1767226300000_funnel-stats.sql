-- Up Migration

-- The reach funnel's anonymous statistics: one row per case round (vroegsignaalzaak), written with the read model and
-- kept by the retention purge. Nothing here names or locates a household: no BSN, name, address, phone, signal ID or
-- case ID. `round_key` (the round's case_ref) only lets later saves of the same round update its row; the purge sets it
-- to NULL, after which the row belongs to no one. Instants are kept as Amsterdam dates and minute durations only.
CREATE TABLE funnel_stats (
  id bigserial PRIMARY KEY,
  round_key text UNIQUE,
  municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
  -- 1 for a household's first round; a later round is a reopening.
  round integer NOT NULL CHECK (round >= 1),
  -- Europe/Amsterdam date of the round's first signal: the period and month a round is counted in.
  signal_date date NOT NULL,
  segment text,
  -- One entry per signal of the round (so their count is the number of signals).
  partner_types text[] NOT NULL,
  first_attempt_minutes integer,
  first_attempt_in_time boolean,
  first_contact_minutes integer,
  first_contact_channel text,
  first_contact_dagdeel text,
  reached boolean NOT NULL,
  help_accepted boolean NOT NULL,
  result text,
  -- Kinds of deadline breach, without their instants.
  breaches text[] NOT NULL DEFAULT '{}',
  closed_date date,
  -- Europe/Amsterdam date of the first signal of the household's next round, recorded when that round starts.
  reopened_date date
);
CREATE INDEX funnel_stats_period ON funnel_stats (municipality, signal_date);

-- The monthly DDAS delivery: one row per municipality and period, written once the validated file is in the outbox.
CREATE TABLE ddas_deliveries (
  municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
  period_from date NOT NULL,
  period_to date NOT NULL,
  file_name text NOT NULL,
  sha256 text NOT NULL,
  signals integer NOT NULL,
  cases integer NOT NULL,
  omitted_signals integer NOT NULL,
  delivered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality, period_from, period_to)
);

-- Down Migration

DROP TABLE ddas_deliveries;
DROP TABLE funnel_stats;
