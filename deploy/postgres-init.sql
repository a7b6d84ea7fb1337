-- bereik's read model lives in its own database and role, apart from Temporal's.
-- The password is set from BEREIK_DB_PASSWORD by the operator after first start (see README, Production).
CREATE ROLE bereik LOGIN;
CREATE DATABASE bereik OWNER bereik;
