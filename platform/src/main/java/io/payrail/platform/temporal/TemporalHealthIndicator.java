package io.payrail.platform.temporal;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when the Temporal frontend answers within {@link #TIMEOUT} and knows Payrail's namespace; a
 * reachable cluster without the namespace is as useless to Payrail as an unreachable one.
 */
class TemporalHealthIndicator extends AbstractHealthIndicator {

  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final WorkflowServiceStubs stubs;
  private final String namespace;

  TemporalHealthIndicator(WorkflowServiceStubs stubs, String namespace) {
    super("Temporal health check failed");
    this.stubs = stubs;
    this.namespace = namespace;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    DescribeNamespaceResponse response =
        stubs
            .blockingStub()
            .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    builder
        .up()
        .withDetail("target", stubs.getOptions().getTarget())
        .withDetail("namespace", namespace)
        .withDetail("namespaceState", response.getNamespaceInfo().getState().name());
  }
}
