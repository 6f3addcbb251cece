package io.payrail.settlement;

import io.temporal.client.schedules.ScheduleClient;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The deploy step that creates or updates the settlement schedules, then exits: 0 when every
 * currency's schedule is as configured, 1 otherwise. docker-compose runs it once after Temporal's
 * setup ({@code settlement-schedules}); {@code ./payrail run} applies the same at start, and {@code
 * ./payrail schedules} on demand. The Temporal address and namespace are {@code spring.temporal.*},
 * as for the api and the workers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SettlementSchedulesApplication {

  public static void main(String[] args) {
    int status;
    try {
      ConfigurableApplicationContext context =
          SpringApplication.run(SettlementSchedulesApplication.class, args);
      status = SpringApplication.exit(context);
    } catch (RuntimeException e) {
      // Spring has logged why; the deploy must see the failure.
      status = 1;
    }
    System.exit(status);
  }

  @Bean
  SettlementSchedules settlementSchedules(ScheduleClient schedules) {
    return new SettlementSchedules(schedules);
  }

  @Bean
  ApplicationRunner applySchedules(
      SettlementSchedules schedules, SettlementSchedulesProperties settings) {
    return args -> {
      List<SettlementSchedules.Applied> applied = schedules.apply(settings.currencies());
      applied.forEach(a -> System.out.println("schedule " + a.scheduleId() + ": " + a.outcome()));
    };
  }
}
