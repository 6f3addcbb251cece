package io.payrail.workflows.common;

/**
 * Every Temporal task queue Payrail polls, declared once. Workers and the clients that start
 * workflows both name a queue through these constants, so a typo cannot split them apart.
 */
public final class TaskQueues {

  /** Payment, refund and webhook workflows with their activities. */
  public static final String PAYMENTS = "payments";

  /** Daily settlement and payout-file workflows with their activities. */
  public static final String SETTLEMENT = "settlement";

  /**
   * Webhook deliveries: a queue of their own, so that slow or dead merchant endpoints never take
   * the worker slots that payments need.
   */
  public static final String WEBHOOKS = "webhooks";

  /** Emails, text messages and pushes: slow providers must not hold payment workers either. */
  public static final String NOTIFICATIONS = "notifications";

  private TaskQueues() {}
}
