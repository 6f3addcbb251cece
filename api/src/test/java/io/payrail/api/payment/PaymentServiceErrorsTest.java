package io.payrail.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.api.error.ApiException;
import io.payrail.workflows.payment.InvalidTransitionException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class PaymentServiceErrorsTest {

  @Test
  void validatorRejection_becomesA400NamingTheAmount() {
    WorkflowUpdateException rejected =
        new WorkflowUpdateException(
            WorkflowExecution.newBuilder().setWorkflowId("payment-pay_x").build(),
            "update-1",
            "capture",
            ApplicationFailure.newFailure(
                "amount_to_capture must be between 1 and 1000",
                InvalidTransitionException.class.getName()));

    ApiException error = PaymentService.unexpectedState(rejected, "amount_to_capture");

    assertThat(error.status().value()).isEqualTo(400);
    assertThat(error.param()).isEqualTo("amount_to_capture");
    assertThat(error.code()).isEqualTo("amount_too_large");
  }
}
