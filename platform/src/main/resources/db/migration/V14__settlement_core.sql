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

-- A run claims its window, not its items (docs/settlement.md, "Exactly once"): the window's items
-- are the run's without a write to each of them. The claimed windows of a currency's effective runs
-- never overlap, so no item is in two of them.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE settlement_runs ADD COLUMN claimed_at timestamptz;

ALTER TABLE settlement_runs ADD CONSTRAINT settlement_runs_claimed_windows_disjoint
    EXCLUDE USING gist (currency WITH =, tstzrange(window_start, window_end) WITH &&)
    WHERE (claimed_at IS NOT NULL AND status NOT IN ('superseded', 'rejected'));

-- late: the item is not its window's (committed after the window was claimed, or its merchant had
-- no terms in force then); a later run of the currency settles it item by item (settled_run_id).
ALTER TABLE settlement_items ADD COLUMN late boolean NOT NULL DEFAULT false;

CREATE INDEX settlement_items_window_idx
    ON settlement_items (currency, merchant_id, occurred_at) INCLUDE (kind, amount)
    WHERE settled_run_id IS NULL AND NOT late;
CREATE INDEX settlement_items_late_idx
    ON settlement_items (currency, occurred_at) WHERE late AND settled_run_id IS NULL;

-- The advisory lock between item inserts (shared) and a claim (exclusive) of one currency.
CREATE FUNCTION settlement_claim_lock(currency text) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT hashtextextended('settlement-claim:' || currency, 0) $$;

-- The effective run whose claimed window holds the instant, if any.
CREATE FUNCTION settlement_claimed_window(p_currency text, p_at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE AS $$
    SELECT id FROM settlement_runs
    WHERE currency = p_currency AND claimed_at IS NOT NULL
      AND status NOT IN ('superseded', 'rejected')
      AND window_start <= p_at AND p_at < window_end
    LIMIT 1
$$;

-- An item inserted into a claimed window is late. The shared lock, held until the insert commits,
-- makes a claim (which takes the exclusive one) wait for the items being inserted: an item is
-- either committed before its window is claimed, or sees the claim and is late.
CREATE FUNCTION mark_late_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(settlement_claim_lock(NEW.currency));
    NEW.late := settlement_claimed_window(NEW.currency, NEW.occurred_at) IS NOT NULL;
    RETURN NEW;
END;
$$;

CREATE TRIGGER settlement_items_mark_late
    BEFORE INSERT ON settlement_items
    FOR EACH ROW EXECUTE FUNCTION mark_late_item();

-- Settled once, now with windows: an item of a claimed window is its run's and is never settled
-- item by item (settled_run_id stays null); only a late item is, once (then only to the approved
-- rerun superseding that run, as before); and an item becomes late only before its window is
-- claimed, never after (that would take it from a run that holds it).
CREATE OR REPLACE FUNCTION settle_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.settled_run_id IS NOT NULL AND NEW.settled_run_id IS DISTINCT FROM OLD.settled_run_id
       AND NOT EXISTS (SELECT 1 FROM settlement_runs
                       WHERE id = NEW.settled_run_id AND supersedes_run_id = OLD.settled_run_id
                         AND status = 'posting') THEN
        RAISE EXCEPTION 'settlement item % is already settled by run %', OLD.id, OLD.settled_run_id;
    END IF;
    IF OLD.settled_run_id IS NULL AND NEW.settled_run_id IS NOT NULL AND NOT NEW.late THEN
        RAISE EXCEPTION 'settlement item % is settled by the run whose window holds it, not item'
            ' by item', OLD.id;
    END IF;
    IF NEW.late IS DISTINCT FROM OLD.late
       AND (OLD.late OR settlement_claimed_window(OLD.currency, OLD.occurred_at) IS NOT NULL) THEN
        RAISE EXCEPTION 'settlement item % is held by its claimed window: it cannot become late',
            OLD.id;
    END IF;
    IF ROW(NEW.id, NEW.kind, NEW.merchant_id, NEW.payment_id, NEW.currency, NEW.amount,
           NEW.bank_reference, NEW.occurred_at)
       IS DISTINCT FROM ROW(OLD.id, OLD.kind, OLD.merchant_id, OLD.payment_id, OLD.currency,
           OLD.amount, OLD.bank_reference, OLD.occurred_at) THEN
        RAISE EXCEPTION 'settlement item % is immutable but for its run', OLD.id;
    END IF;
    RETURN NEW;
END;
$$;

-- The items of run R, the one definition compute, reruns, the diff, alerts and tests read: the
-- items of its window (not late, not settled item by item) while it is effective; those settled by
-- it item by item; and, for a rerun not yet applied, what its approval would give it (the items run
-- n settled item by item, and the late items of the window not yet settled).
CREATE VIEW settlement_run_items AS
    SELECT r.id AS run_id, i.*
    FROM settlement_runs r
    JOIN settlement_items i ON i.currency = r.currency
         AND i.occurred_at >= r.window_start AND i.occurred_at < r.window_end
    WHERE i.settled_run_id IS NULL AND NOT i.late
      AND r.status NOT IN ('superseded', 'rejected')
    UNION ALL
    SELECT i.settled_run_id AS run_id, i.*
    FROM settlement_items i
    WHERE i.settled_run_id IS NOT NULL
    UNION ALL
    SELECT r.id AS run_id, i.*
    FROM settlement_runs r
    JOIN settlement_items i ON i.settled_run_id = r.supersedes_run_id
    WHERE r.status IN ('computing', 'awaiting_approval')
    UNION ALL
    SELECT r.id AS run_id, i.*
    FROM settlement_runs r
    JOIN settlement_items i ON i.currency = r.currency
         AND i.occurred_at >= r.window_start AND i.occurred_at < r.window_end
    WHERE i.late AND i.settled_run_id IS NULL
      AND r.supersedes_run_id IS NOT NULL AND r.status IN ('computing', 'awaiting_approval');
