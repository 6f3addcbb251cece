package io.payrail.localstack;

/** What {@code ./payrail run} prints once everything is up. */
final class Banner {

  private Banner() {}

  static String of(LocalStack stack) {
    String api = stack.apiUrl();
    DemoMerchant demo = stack.demoMerchant();
    return """

        Payrail is running. Ctrl-C stops everything.

          API               %1$s
          OpenAPI (Swagger) %1$s/swagger-ui.html   (document: %1$s/v3/api-docs)
          Health            %1$s/actuator/health   (workers: %2$s/actuator/health)
          Metrics           %1$s/actuator/prometheus
          Temporal UI       %3$s/namespaces/%4$s/workflows
          Temporal gRPC     %5$s
          PostgreSQL        %9$s (owner payrail, applications payrail_app; loopback trusts both)
          Audit log         ./payrail audit-verify --url %9$s --user payrail_app
          Kafka             %10$s
          Redis             127.0.0.1:%11$s
          Vault (OpenBao)   %15$s   (keys: docs/secrets.md)
          Bank simulator    %12$s   (test cards: README)
          Notifications     %13$s/sim/messages   (emails sent to SMTP 127.0.0.1:%14$s, texts, pushes)

          Demo merchant     %6$s
          Test API key      %7$s

          Try it:  curl -u %7$s: %1$s/v1/merchant

          Data and logs     %8$s
        """
            .formatted(
                api,
                stack.workersUrl(),
                stack.servers().temporal().uiUrl(),
                stack.servers().temporal().namespace(),
                stack.servers().temporal().target(),
                demo.id(),
                demo.apiKey(),
                stack.home(),
                stack.servers().postgres().jdbcUrl(),
                stack.servers().kafka().bootstrapServers(),
                stack.servers().redis().port(),
                stack.servers().bank().baseUrl(),
                stack.servers().notifications().baseUrl(),
                stack.servers().notifications().smtpPort(),
                stack.servers().vault().uri())
        + staff(stack);
  }

  /** Keycloak, the demo staff and how to get a token; nothing when staff sign-in is off. */
  private static String staff(LocalStack stack) {
    if (stack.keycloak().isEmpty() || stack.staffUsers().isEmpty()) {
      return "  Staff sign-in     off (PAYRAIL_KEYCLOAK=off)\n";
    }
    var keycloak = stack.keycloak().get();
    StringBuilder text = new StringBuilder();
    text.append("  Keycloak          ")
        .append(keycloak.baseUrl())
        .append("   (realm payrail; logs/keycloak.log)\n");
    stack
        .staffUsers()
        .forEach(
            (user, password) ->
                text.append("  Staff user        ")
                    .append(String.format("%-9s", user))
                    .append(" password ")
                    .append(password)
                    .append("   (role ")
                    .append(StaffSignIn.USERS.get(user))
                    .append(")\n"));
    var operator = stack.staffUsers().entrySet().iterator().next();
    text.append("\n  Staff token:  ")
        .append(keycloak.curlForToken(operator.getKey(), operator.getValue()))
        .append("\n  Then:         curl -H \"Authorization: Bearer $TOKEN\" ")
        .append(stack.apiUrl())
        .append("/staff/v1/payments\n");
    return text.toString();
  }
}
