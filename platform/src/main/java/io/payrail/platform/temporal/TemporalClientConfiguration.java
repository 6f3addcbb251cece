package io.payrail.platform.temporal;

import io.payrail.workflows.common.CorrelationIdPropagator;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Temporal client settings shared by the api and the workers: the correlation id rides along in
 * Temporal headers, and {@code /actuator/health} reports whether Temporal answers and holds the
 * namespace.
 */
@AutoConfiguration(
    afterName = "io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration")
public class TemporalClientConfiguration {

  @Bean
  TemporalOptionsCustomizer<WorkflowClientOptions.Builder> correlationIdPropagation() {
    return builder -> builder.setContextPropagators(List.of(new CorrelationIdPropagator()));
  }

  @Bean
  @ConditionalOnBean(WorkflowServiceStubs.class)
  TemporalHealthIndicator temporalHealthIndicator(
      WorkflowServiceStubs stubs, @Value("${spring.temporal.namespace}") String namespace) {
    return new TemporalHealthIndicator(stubs, namespace);
  }
}
