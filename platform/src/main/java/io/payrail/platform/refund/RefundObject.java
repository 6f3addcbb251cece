package io.payrail.platform.refund;

import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A refund as merchants see it: the body of {@code GET /v1/refunds/{id}} and the {@code
 * data.object} of every refund event. {@code failure_code} is the bank's reason when {@code
 * failed}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RefundObject(
    String id,
    String object,
    String payment,
    long amount,
    String currency,
    String status,
    String reason,
    String failureCode,
    Map<String, String> metadata,
    long created) {}
