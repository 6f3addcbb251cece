/**
 * Activity implementations ({@code @ActivityImpl}) and the adapters behind them: bank, fraud,
 * notification, persistence, Kafka, ClickHouse, ledger. Each is stateless; the workers application
 * registers them on their task queues.
 */
package io.payrail.activities;
