package io.payrail.platform.audit;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./payrail audit-verify}: checks the audit log's chain and exits 0 when it is intact, 1
 * naming the first broken record, 2 when it could not check (bad arguments, database unreachable).
 *
 * <pre>
 * ./payrail audit-verify --url jdbc:postgresql://127.0.0.1:5432/payrail --user payrail_app
 * </pre>
 *
 * The password comes from the environment ({@code PAYRAIL_AUDIT_DB_PASSWORD}, else {@code
 * PGPASSWORD}), never from the command line, where {@code ps} would show it. {@code
 * PAYRAIL_AUDIT_JDBC_URL} and {@code PAYRAIL_AUDIT_DB_USER} stand in for the flags.
 */
public final class AuditVerifyCommand {

  static final int INTACT = 0;
  static final int BROKEN = 1;
  static final int COULD_NOT_CHECK = 2;

  private AuditVerifyCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String url = env.get("PAYRAIL_AUDIT_JDBC_URL");
    String user = env.get("PAYRAIL_AUDIT_DB_USER");
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if ((flag.equals("--url") || flag.equals("--user")) && i + 1 < args.length) {
        if (flag.equals("--url")) {
          url = args[++i];
        } else {
          user = args[++i];
        }
      } else {
        err.println("unknown or incomplete argument: " + flag);
        err.println("usage: audit-verify --url jdbc:postgresql://HOST:PORT/DB --user ROLE");
        return COULD_NOT_CHECK;
      }
    }
    if (url == null || !url.startsWith("jdbc:postgresql:") || user == null) {
      err.println(
          "give --url jdbc:postgresql://HOST:PORT/DB and --user ROLE"
              + " (or PAYRAIL_AUDIT_JDBC_URL and PAYRAIL_AUDIT_DB_USER)");
      return COULD_NOT_CHECK;
    }
    Properties properties = new Properties();
    properties.setProperty("user", user);
    String password = env.getOrDefault("PAYRAIL_AUDIT_DB_PASSWORD", env.get("PGPASSWORD"));
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("socketTimeout", "600");
    properties.setProperty("ApplicationName", "payrail-audit-verify");
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      AuditChainVerifier.Verification verification = AuditChainVerifier.verify(connection);
      if (verification.intact()) {
        out.printf(
            "audit log intact: %d records, head hash %s%n",
            verification.checked(), verification.headHash());
        return INTACT;
      }
      out.printf(
          "audit log BROKEN at record %d: %s%n", verification.brokenSeq(), verification.problem());
      return BROKEN;
    } catch (SQLException e) {
      err.println("could not read the audit log at " + url + ": " + e.getMessage());
      return COULD_NOT_CHECK;
    }
  }
}
