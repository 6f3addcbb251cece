package io.payrail.workflows.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What the code of {@code workflows/} must never touch: it runs inside Temporal workflows, which
 * are replayed, so it may not reach infrastructure or any source of time or randomness.
 */
final class DeterminismRules {

  static final ArchRule NO_INFRASTRUCTURE =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "java.sql..",
              "javax.sql..",
              "org.postgresql..",
              "org.apache.kafka..",
              "io.lettuce..",
              "redis.clients..",
              "com.clickhouse..")
          .as("workflows/ imports nothing from Spring, JDBC, Kafka, Redis or ClickHouse");

  static final ArchRule NO_NON_DETERMINISM =
      noClasses()
          .should()
          .callMethodWhere(nonDeterministicCall())
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.Random")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.security.SecureRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock")
          .as(
              "workflows/ reads no clock and no random source and never sleeps"
                  + " (use Workflow.currentTimeMillis, Workflow.newRandom, Workflow.sleep)");

  private DeterminismRules() {}

  private static DescribedPredicate<JavaCall<?>> nonDeterministicCall() {
    return DescribedPredicate.describe(
        "a clock, random or sleep call",
        call -> {
          String owner = call.getTargetOwner().getFullName();
          String name = call.getName();
          return (owner.equals("java.lang.System")
                  && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
              || (owner.equals("java.lang.Thread") && name.equals("sleep"))
              || (owner.equals("java.lang.Math") && name.equals("random"))
              || (owner.equals("java.util.UUID") && name.equals("randomUUID"))
              || (owner.startsWith("java.time.") && name.equals("now"));
        });
  }
}
