package io.payrail.localstack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.payrail.api.fixture.ApiReachingIntoDevServers;
import io.payrail.api.fixture.ApiReachingIntoWorkers;
import org.junit.jupiter.api.Test;

/**
 * The arrows between modules point one way: api -> workflows; activities -> workflows; workers ->
 * workflows + activities; platform (shared Boot infrastructure) -> workflows; workflows -> nothing
 * of ours.
 */
class ModuleArchitectureTest {

  private static final JavaClasses PAYRAIL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.payrail");

  static final ArchRule WORKFLOWS_DEPEND_ON_NO_OTHER_MODULE =
      noClasses()
          .that()
          .resideInAPackage("io.payrail.workflows..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.payrail.platform..",
              "io.payrail.activities..",
              "io.payrail.api..",
              "io.payrail.workers..",
              "io.payrail.settlement..");

  static final ArchRule PLATFORM_DEPENDS_ONLY_ON_WORKFLOWS =
      noClasses()
          .that()
          .resideInAPackage("io.payrail.platform..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.payrail.activities..", "io.payrail.api..", "io.payrail.workers..");

  static final ArchRule API_DOES_NOT_REACH_ACTIVITIES_OR_WORKERS =
      noClasses()
          .that()
          .resideInAPackage("io.payrail.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.payrail.activities..", "io.payrail.workers..");

  static final ArchRule ACTIVITIES_DO_NOT_REACH_API_OR_WORKERS =
      noClasses()
          .that()
          .resideInAPackage("io.payrail.activities..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.payrail.api..", "io.payrail.workers..");

  static final ArchRule NOTHING_DEPENDS_ON_THE_WORKERS_APPLICATION =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.payrail.workers..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.payrail.workers..");

  static final ArchRule PRODUCTION_CODE_KNOWS_NOTHING_OF_THE_LOCAL_STACK =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.payrail.workflows..",
              "io.payrail.platform..",
              "io.payrail.activities..",
              "io.payrail.api..",
              "io.payrail.workers..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.payrail.devservers..", "io.payrail.localstack..", "io.payrail.banksim..")
          .as("the applications reach the local servers by configuration only");

  @Test
  void productionCode_knowsNothingOfTheLocalStack() {
    PRODUCTION_CODE_KNOWS_NOTHING_OF_THE_LOCAL_STACK.check(PAYRAIL);
  }

  @Test
  void everyModuleIsImported() {
    for (String module :
        new String[] {"workflows", "platform", "api", "workers", "devservers", "localstack"}) {
      assertThat(PAYRAIL.containPackage("io.payrail." + module)).as(module).isTrue();
    }
  }

  @Test
  void workflows_dependOnNoOtherModule() {
    WORKFLOWS_DEPEND_ON_NO_OTHER_MODULE.check(PAYRAIL);
  }

  @Test
  void platform_dependsOnlyOnWorkflows() {
    PLATFORM_DEPENDS_ONLY_ON_WORKFLOWS.check(PAYRAIL);
  }

  @Test
  void api_dependsOnWorkflowsNotOnActivitiesOrWorkers() {
    API_DOES_NOT_REACH_ACTIVITIES_OR_WORKERS.check(PAYRAIL);
  }

  @Test
  void activities_doNotReachApiOrWorkers() {
    ACTIVITIES_DO_NOT_REACH_API_OR_WORKERS.check(PAYRAIL);
  }

  @Test
  void nothing_dependsOnTheWorkersApplication() {
    NOTHING_DEPENDS_ON_THE_WORKERS_APPLICATION.check(PAYRAIL);
  }

  @Test
  void rules_catchAnArrowAgainstTheDirection() {
    JavaClasses wrong = new ClassFileImporter().importClasses(ApiReachingIntoWorkers.class);

    assertThat(API_DOES_NOT_REACH_ACTIVITIES_OR_WORKERS.evaluate(wrong).hasViolation()).isTrue();
    assertThat(NOTHING_DEPENDS_ON_THE_WORKERS_APPLICATION.evaluate(wrong).hasViolation()).isTrue();
    assertThat(
            PRODUCTION_CODE_KNOWS_NOTHING_OF_THE_LOCAL_STACK
                .evaluate(new ClassFileImporter().importClasses(ApiReachingIntoDevServers.class))
                .hasViolation())
        .isTrue();
  }
}
