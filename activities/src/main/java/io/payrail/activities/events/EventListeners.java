package io.payrail.activities.events;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** The listener factory of the consumers of Payrail's own event topics. */
public final class EventListeners {

  private EventListeners() {}

  /**
   * A consumer group that starts from the first event when new, and retries a failing event with
   * backoff (0.5 s doubling to 30 s) until it succeeds, except for the exception types given, which
   * no retry can change: those events are logged and passed.
   */
  @SafeVarargs
  public static ConcurrentKafkaListenerContainerFactory<String, String> fromTheFirstEvent(
      KafkaProperties kafka, String group, Class<? extends Exception>... notRetryable) {
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
    factory.setConsumerFactory(
        new DefaultKafkaConsumerFactory<>(
            config, new StringDeserializer(), new StringDeserializer()));
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
    backOff.setMaxInterval(30_000);
    DefaultErrorHandler errors = new DefaultErrorHandler(backOff);
    if (notRetryable.length > 0) {
      errors.addNotRetryableExceptions(notRetryable);
    }
    factory.setCommonErrorHandler(errors);
    return factory;
  }
}
