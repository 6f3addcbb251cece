/**
 * Daily settlement, payout files and reconciliation: the model is in {@code docs/settlement.md}.
 */
package io.payrail.workflows.settlement;
