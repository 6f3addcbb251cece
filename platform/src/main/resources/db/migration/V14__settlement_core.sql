-- Settlement core (issue 8): reserves released once, on or after their day. docs/settlement.md.

-- A reserve held for a merchant on a business day (the hold: currency, held date, merchant) is
-- released by the first run whose business date is on or after its due date (held date + the
-- holding terms' reserve_hold_days), so a day with no run does not keep it held. One row per hold
-- and run that releases it; the amount is what the holding run held.
CREATE TABLE reserve_releases (
    currency        text    NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    held_date       date    NOT NULL,
    merchant_id     text    NOT NULL REFERENCES merchants (id),
    release_run_id  bigint  NOT NULL REFERENCES settlement_runs (id),
    amount          bigint  NOT NULL CHECK (amount > 0),
    PRIMARY KEY (currency, held_date, merchant_id, release_run_id)
);

CREATE INDEX reserve_releases_run_idx ON reserve_releases (release_run_id, merchant_id);

-- Released once: a hold already released by a run that posts or posted (the approval of a rerun
-- sets posting) is refused to any other run, but for the rerun that supersedes that run (it
-- recomputes the day's figures; the run it replaces is superseded in the same transaction as its
-- approval). Rows of proposed, rejected and superseded runs release nothing.
CREATE FUNCTION release_reserve_once() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    other bigint;
BEGIN
    SELECT rr.release_run_id INTO other
    FROM reserve_releases rr
    JOIN settlement_runs rel ON rel.id = rr.release_run_id
    WHERE rr.currency = NEW.currency AND rr.held_date = NEW.held_date
      AND rr.merchant_id = NEW.merchant_id AND rr.release_run_id <> NEW.release_run_id
      AND rel.status IN ('posting', 'posted')
      AND NOT EXISTS (SELECT 1 FROM settlement_runs s
                      WHERE s.id = NEW.release_run_id AND s.supersedes_run_id = rel.id)
    LIMIT 1;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'the reserve held for % on % (%) is already released by run %',
            NEW.merchant_id, NEW.held_date, NEW.currency, other;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER reserve_releases_once
    BEFORE INSERT ON reserve_releases
    FOR EACH ROW EXECUTE FUNCTION release_reserve_once();

CREATE TRIGGER reserve_releases_no_change
    BEFORE UPDATE OR DELETE ON reserve_releases
    FOR EACH ROW EXECUTE FUNCTION reject_change();
