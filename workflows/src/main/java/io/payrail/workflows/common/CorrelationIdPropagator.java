package io.payrail.workflows.common;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the {@link CorrelationId} from the thread that starts a workflow (an HTTP request) into
 * the workflow and into every activity and child workflow it schedules, through Temporal headers.
 *
 * <p>Replay-safe: the id is read from the recorded header, never from the clock or a random source,
 * so a replayed workflow logs the same id it logged the first time.
 */
public final class CorrelationIdPropagator implements ContextPropagator {

  @Override
  public String getName() {
    return CorrelationId.HEADER;
  }

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    if (context == null) {
      return Map.of();
    }
    return DefaultDataConverter.STANDARD_INSTANCE
        .toPayload(context)
        .map(payload -> Map.of(CorrelationId.HEADER, payload))
        .orElse(Map.of());
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header.get(CorrelationId.HEADER);
    if (payload == null) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  @Override
  public Object getCurrentContext() {
    return MDC.get(CorrelationId.MDC_KEY);
  }

  @Override
  public void setCurrentContext(Object context) {
    if (context instanceof String id) {
      MDC.put(CorrelationId.MDC_KEY, id);
    } else {
      MDC.remove(CorrelationId.MDC_KEY);
    }
  }
}
