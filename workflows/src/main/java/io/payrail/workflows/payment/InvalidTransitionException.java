package io.payrail.workflows.payment;

/**
 * An operation the payment's state does not allow, thrown by the update validators. Its class name
 * is the failure type the client sees ({@link PaymentWorkflowImpl#INVALID_TRANSITION}).
 *
 * <p>Validators throw this plain exception rather than an {@code ApplicationFailure}: SDK 1.38
 * wraps an {@code ApplicationFailure} thrown by a validator so that the client receives the
 * wrapper's type, and the failure's own type is lost. A plain exception reaches the client as an
 * {@code ApplicationFailure} typed with its class name.
 */
public class InvalidTransitionException extends RuntimeException {

  public InvalidTransitionException(String message) {
    super(message);
  }
}
