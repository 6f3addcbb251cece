package io.payrail.platform.audit;

import java.util.Objects;

/**
 * Who did what an audit record records, in the terms of the api's {@code Caller}, which this module
 * cannot see: the api turns its caller into one of these ({@link AuditActorSource}).
 *
 * @param kind {@code merchant}, {@code staff}, {@code bootstrap}, or {@code system} for work no
 *     caller asked for (a scheduled job)
 * @param id the merchant id, the staff member's subject, {@code bootstrap}, or the application
 * @param credentialId what exactly authenticated: the API key id, else the same as {@code id}
 * @param name a readable name (the staff member's user name); never a secret
 * @param role the role the action was taken in: {@code merchant}, {@code operator}, {@code
 *     finance}, {@code admin} or {@code system}
 */
public record AuditActor(String kind, String id, String credentialId, String name, String role) {

  public AuditActor {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }

  /** The application itself, e.g. a scheduled settlement run. */
  public static AuditActor system(String application) {
    return new AuditActor("system", application, application, application, "system");
  }
}
