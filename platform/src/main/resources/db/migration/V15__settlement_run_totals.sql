-- A run's items aggregated per merchant, once, by the claim of its window (docs/settlement.md,
-- "Exactly once"; docs/benchmarks/settlement.md). After the claim commits, a daily run's items
-- (settlement_run_items) no longer change: an item inserted into the claimed window is late and
-- goes to a later run, and no item of the window can become late or be settled item by item. So
-- the sums read here are the view's, and the run's batches read them by merchant range instead of
-- each scanning the whole window's items again (the items of a merchant range are spread over every
-- page of the day). Reruns have no rows here: they aggregate the view as before.
CREATE TABLE settlement_run_totals (
    run_id        bigint NOT NULL REFERENCES settlement_runs (id),
    merchant_id   text   NOT NULL REFERENCES merchants (id),
    capture_count int    NOT NULL CHECK (capture_count >= 0),
    refund_count  int    NOT NULL CHECK (refund_count >= 0),
    gross         bigint NOT NULL CHECK (gross >= 0),
    refunds       bigint NOT NULL CHECK (refunds >= 0),
    PRIMARY KEY (run_id, merchant_id)
);

CREATE TRIGGER settlement_run_totals_no_change
    BEFORE UPDATE OR DELETE ON settlement_run_totals
    FOR EACH ROW EXECUTE FUNCTION reject_change();
