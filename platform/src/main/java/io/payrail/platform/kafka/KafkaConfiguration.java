package io.payrail.platform.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** Declares the configured topics and reports Kafka's health. */
@AutoConfiguration(
    afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties(KafkaTopicsProperties.class)
public class KafkaConfiguration {

  @Bean
  KafkaAdmin.NewTopics payrailTopics(KafkaTopicsProperties properties) {
    return new KafkaAdmin.NewTopics(
        properties.topics().stream()
            .map(topic -> new NewTopic(topic.name(), topic.partitions(), topic.replicas()))
            .toArray(NewTopic[]::new));
  }

  @Bean
  KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
    return new KafkaHealthIndicator(kafkaAdmin.getConfigurationProperties());
  }
}
