package io.payrail.activities.settlement.payout;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where payout files go and who Payrail is in them ({@code payrail.settlement}). The defaults are
 * the bank simulator's test identities, so the local stack runs without configuration; production
 * sets every {@code ach.*} and {@code sepa.*} value from its bank agreement. None of them is a
 * secret: they are printed in every file.
 *
 * @param outboxDir where files are written before transmission; default {@code .payrail/outbox}
 * @param maxFileEntries the most payouts in one file ({@code max-file-entries}); default per format
 *     (NACHA 100,000, pain.001 10,000: both under the bank's 16 MiB upload limit). A run's payouts
 *     beyond it are failed with {@code CAPPED} and carried into the next day's payout.
 */
@ConfigurationProperties("payrail.settlement")
public record PayoutFileProperties(Path outboxDir, Ach ach, Sepa sepa, Integer maxFileEntries) {

  public PayoutFileProperties {
    outboxDir = outboxDir == null ? Path.of(".payrail", "outbox") : outboxDir;
    ach = ach == null ? Ach.SIMULATOR : ach;
    sepa = sepa == null ? Sepa.SIMULATOR : sepa;
    if (maxFileEntries != null && maxFileEntries <= 0) {
      throw new IllegalArgumentException("payrail.settlement.max-file-entries must be positive");
    }
  }

  /** The rail's entry limit: {@link #maxFileEntries} when set, else the format's default. */
  int maxEntries(int formatDefault) {
    return maxFileEntries == null ? formatDefault : maxFileEntries;
  }

  /**
   * Payrail as the originator of ACH files.
   *
   * @param immediateDestination the receiving point's 9-digit routing number (the ODFI's bank)
   * @param immediateDestinationName up to 23 characters
   * @param immediateOrigin Payrail's 10-character origin id, usually {@code 1} and a tax id
   * @param immediateOriginName up to 23 characters
   * @param companyName up to 16 characters, shown on the merchant's statement
   * @param companyId 10 characters, usually {@code 1} and a tax id
   * @param odfi the originating bank's first 8 routing digits: the trace numbers' prefix
   * @param timeZone the zone of the file's creation date and time and of its effective date
   */
  public record Ach(
      String immediateDestination,
      String immediateDestinationName,
      String immediateOrigin,
      String immediateOriginName,
      String companyName,
      String companyId,
      String odfi,
      ZoneId timeZone) {

    static final Ach SIMULATOR =
        new Ach(
            "011000015",
            "PAYRAIL BANK SIMULATOR",
            "1999999999",
            "PAYRAIL",
            "PAYRAIL",
            "1999999999",
            "01100001",
            ZoneId.of("America/New_York"));

    public Ach {
      require(immediateDestination, "\\d{9}", "payrail.settlement.ach.immediate-destination");
      require(immediateOrigin, "[0-9A-Z ]{10}", "payrail.settlement.ach.immediate-origin");
      require(companyId, "[0-9A-Z ]{10}", "payrail.settlement.ach.company-id");
      require(odfi, "\\d{8}", "payrail.settlement.ach.odfi");
      Objects.requireNonNull(immediateDestinationName, "immediate-destination-name");
      Objects.requireNonNull(immediateOriginName, "immediate-origin-name");
      Objects.requireNonNull(companyName, "company-name");
      timeZone = timeZone == null ? ZoneId.of("America/New_York") : timeZone;
    }
  }

  /**
   * Payrail as the debtor of SEPA credit transfers.
   *
   * @param debtorName Payrail's account name, up to 70 characters
   * @param debtorIban Payrail's payout account (printed in every file; not a secret)
   * @param debtorBic its bank's BIC
   */
  public record Sepa(String debtorName, String debtorIban, String debtorBic) {

    static final Sepa SIMULATOR = new Sepa("Payrail", "DE89370400440532013000", "COBADEFFXXX");

    public Sepa {
      require(debtorIban, "[A-Z]{2}\\d{2}[A-Z0-9]{11,30}", "payrail.settlement.sepa.debtor-iban");
      require(debtorBic, "[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", "payrail.settlement.sepa.debtor-bic");
      Objects.requireNonNull(debtorName, "payrail.settlement.sepa.debtor-name");
    }
  }

  private static void require(String value, String pattern, String name) {
    if (value == null || !Pattern.matches(pattern, value)) {
      throw new IllegalArgumentException(name + " must match " + pattern);
    }
  }
}
