package io.payrail.api.reconciliation;

import io.payrail.workflows.reconciliation.ReconciliationRequest;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How reconciliations started from the API watch their breaks ({@code payrail.reconciliation}).
 *
 * @param alertAfterDays an open break older than this is alerted to operators daily; default 3
 * @param watchDays how many daily re-checks a reconciliation makes; default 14
 */
@ConfigurationProperties("payrail.reconciliation")
public record ReconciliationProperties(Integer alertAfterDays, Integer watchDays) {

  public ReconciliationProperties {
    alertAfterDays =
        alertAfterDays == null ? ReconciliationRequest.DEFAULT_ALERT_AFTER_DAYS : alertAfterDays;
    watchDays = watchDays == null ? ReconciliationRequest.DEFAULT_WATCH_DAYS : watchDays;
  }
}
