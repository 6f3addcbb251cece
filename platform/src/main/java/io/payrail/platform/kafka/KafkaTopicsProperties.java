package io.payrail.platform.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The Kafka topics Payrail writes to, declared in configuration ({@code payrail.kafka.topics}) and
 * created at start-up when missing. Creating an existing topic is a no-op, so both applications may
 * declare them.
 */
@Validated
@ConfigurationProperties("payrail.kafka")
public record KafkaTopicsProperties(List<Topic> topics) {

  public KafkaTopicsProperties {
    topics = topics == null ? List.of() : List.copyOf(topics);
  }

  /**
   * One topic. {@code partitions} bounds consumer parallelism (events are keyed by payment id, so
   * one payment's events stay in order); {@code replicas} must not exceed the number of brokers.
   */
  public record Topic(@NotBlank String name, @Min(1) int partitions, @Min(1) short replicas) {}
}
