package io.payrail.workflows.webhook;

/**
 * One event to one endpoint.
 *
 * @param deliveryId {@code whd_...}: the row the attempts are recorded under
 */
public record DeliveryInput(
    String deliveryId,
    String eventId,
    String endpointId,
    String merchantId,
    DeliverySchedule schedule) {}
