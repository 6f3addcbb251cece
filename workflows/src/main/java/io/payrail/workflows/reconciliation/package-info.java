/**
 * Reconciliation of the acquirer's daily settlement reports against Payrail's settlement items:
 * {@code docs/reconciliation.md}.
 */
package io.payrail.workflows.reconciliation;
