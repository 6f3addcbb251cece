package io.payrail.activities.payment;

import io.payrail.platform.payment.PaymentObject;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A payment event as merchants and consumers receive it: the payload of the {@code events} row and
 * of the Kafka message.
 *
 * <pre>{@code
 * {"id": "evt_..._2", "object": "event", "type": "payment.succeeded", "api_version": "2026-11-01",
 *  "created": 1795000000, "data": {"object": {"id": "pay_...", "object": "payment", ...}}}
 * }</pre>
 *
 * @param created Unix seconds: the time of the transaction that recorded the change
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record PaymentEvent(
    String id, String object, String type, String apiVersion, long created, Data data) {

  /** The payment as it stood right after the change. */
  record Data(PaymentObject object) {}
}
