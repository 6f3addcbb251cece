package io.payrail.workers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Hosts the Temporal workers: every {@code @WorkflowImpl} and {@code @ActivityImpl} under {@code
 * io.payrail} is registered on its task queue by temporal-spring-boot-starter's auto-discovery.
 * Serves only management endpoints (health, metrics) over HTTP.
 */
@SpringBootApplication(scanBasePackages = {"io.payrail.workers", "io.payrail.activities"})
public class PayrailWorkersApplication {

  public static void main(String[] args) {
    SpringApplication.run(PayrailWorkersApplication.class, args);
  }
}
