/**
 * The Temporal Schedules that start the daily settlement per currency, created or updated
 * idempotently at deploy time, and the finance rerun tooling.
 */
package io.payrail.settlement;
