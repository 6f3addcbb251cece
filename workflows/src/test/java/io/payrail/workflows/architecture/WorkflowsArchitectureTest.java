package io.payrail.workflows.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class WorkflowsArchitectureTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.payrail.workflows");

  private static final JavaClasses FORBIDDEN_FIXTURES =
      new ClassFileImporter().importClasses(ForbiddenUsesFixture.class);

  @Test
  void mainCode_usesNoInfrastructure() {
    assertThat(MAIN_CLASSES).isNotEmpty();
    DeterminismRules.NO_INFRASTRUCTURE.check(MAIN_CLASSES);
  }

  @Test
  void mainCode_isDeterministic() {
    DeterminismRules.NO_NON_DETERMINISM.check(MAIN_CLASSES);
  }

  @Test
  void infrastructureRule_catchesSpringAndJdbc() {
    assertThat(violations(DeterminismRules.NO_INFRASTRUCTURE))
        .anyMatch(line -> line.contains("java.sql.Connection"))
        .anyMatch(line -> line.contains("org.springframework"));
  }

  @Test
  void determinismRule_catchesClockRandomSleepAndUuid() {
    assertThat(violations(DeterminismRules.NO_NON_DETERMINISM))
        .anyMatch(line -> line.contains("System.currentTimeMillis"))
        .anyMatch(line -> line.contains("Instant.now"))
        .anyMatch(line -> line.contains("Thread.sleep"))
        .anyMatch(line -> line.contains("UUID.randomUUID"))
        .anyMatch(line -> line.contains("java.util.Random"));
  }

  private static java.util.List<String> violations(ArchRule rule) {
    EvaluationResult result = rule.evaluate(FORBIDDEN_FIXTURES);
    assertThat(result.hasViolation()).isTrue();
    return result.getFailureReport().getDetails();
  }
}
