package io.payrail.workflows.settlement.payout;

/**
 * What reading a written file back found.
 *
 * @param valid every total recomputed from the parsed bytes matched the payouts rows
 * @param problem when not valid, which total did not match, e.g. {@code batch control credit total
 *     150000 != 150100}; never an account number
 */
public record FileValidation(boolean valid, String problem) {

  public static FileValidation ok() {
    return new FileValidation(true, null);
  }

  public static FileValidation failed(String problem) {
    return new FileValidation(false, problem);
  }
}
