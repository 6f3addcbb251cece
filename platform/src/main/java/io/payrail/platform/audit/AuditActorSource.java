package io.payrail.platform.audit;

import java.util.Optional;

/**
 * Who is acting now, for {@link AuditLog#record}. The api answers from its {@code Caller} (the
 * request's credential); without a source, or when it answers empty, the application itself is the
 * actor.
 */
@FunctionalInterface
public interface AuditActorSource {

  Optional<AuditActor> current();
}
