/**
 * The payout file of one settlement run and rail: its workflow, activities and values. Formats,
 * statuses, deadlines and the bank's test accounts are in {@code docs/payout-files.md}.
 */
package io.payrail.workflows.settlement.payout;
