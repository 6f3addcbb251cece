package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * A finance user's approval (maker-checker): who approves, from the verified identity of the
 * caller, never from a request body.
 *
 * @param approver the Keycloak subject (or username) of the finance user
 * @param note optional, shown in the audit log
 */
public record Approval(String approver, String note) {

  public Approval {
    Objects.requireNonNull(approver, "approver");
    if (approver.isBlank()) {
      throw new IllegalArgumentException("an approval needs an approver");
    }
  }
}
