package io.payrail.api.audit;

import io.payrail.api.security.Caller;
import io.payrail.platform.audit.AuditActor;
import io.payrail.platform.audit.AuditActorSource;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The audit log's actor is the request's {@link Caller}, whatever its credential: a merchant's API
 * key, a staff member's token or the bootstrap admin token.
 */
@Component
class CallerAuditActors implements AuditActorSource {

  @Override
  public Optional<AuditActor> current() {
    return Caller.current()
        .map(
            caller ->
                new AuditActor(
                    caller.kind().name().toLowerCase(Locale.ROOT),
                    caller.id(),
                    caller.credentialId(),
                    caller.name(),
                    caller.primaryRole()));
  }
}
