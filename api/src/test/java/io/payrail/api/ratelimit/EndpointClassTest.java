package io.payrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.api.security.Caller;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointClassTest {

  private static final Caller MERCHANT =
      new Caller(Caller.Kind.MERCHANT, "mer_1", "key_1", "mer_1", Set.of("merchant"));
  private static final Caller OPERATOR =
      new Caller(Caller.Kind.STAFF, "sub-1", "sub-1", "olga", Set.of("operator"));
  private static final Caller BOOTSTRAP =
      new Caller(Caller.Kind.BOOTSTRAP, "bootstrap", "bootstrap", "bootstrap", Set.of("admin"));

  @Test
  void merchantCalls_areReadsOrWritesByMethod() {
    assertThat(EndpointClass.of(MERCHANT, "GET", "/v1/payments"))
        .isEqualTo(EndpointClass.MERCHANT_READS);
    assertThat(EndpointClass.of(MERCHANT, "POST", "/v1/payments"))
        .isEqualTo(EndpointClass.MERCHANT_WRITES);
    assertThat(EndpointClass.of(MERCHANT, "DELETE", "/v1/webhook_endpoints/we_1"))
        .isEqualTo(EndpointClass.MERCHANT_WRITES);
  }

  @Test
  void staffWritesUnderAdmin_areAdmin_everythingElseStaff() {
    assertThat(EndpointClass.of(BOOTSTRAP, "POST", "/admin/v1/merchants"))
        .isEqualTo(EndpointClass.ADMIN);
    assertThat(EndpointClass.of(BOOTSTRAP, "POST", "/admin/v1/merchants/mer_1/api_keys"))
        .isEqualTo(EndpointClass.ADMIN);
    assertThat(EndpointClass.of(BOOTSTRAP, "GET", "/admin/v1/merchants/mer_1/api_keys"))
        .isEqualTo(EndpointClass.STAFF);
    assertThat(EndpointClass.of(BOOTSTRAP, "POST", "/admin/v1/keys/rotate"))
        .isEqualTo(EndpointClass.ADMIN);
    assertThat(EndpointClass.of(OPERATOR, "POST", "/staff/v1/webhook_deliveries/wd_1/redeliver"))
        .isEqualTo(EndpointClass.STAFF);
    assertThat(EndpointClass.of(OPERATOR, "GET", "/staff/v1/payments"))
        .isEqualTo(EndpointClass.STAFF);
  }

  @Test
  void buckets_areKeyedByApiKeyForMerchants_bySubjectForStaff_andByClass() {
    assertThat(RateLimitFilter.bucketKey(EndpointClass.MERCHANT_WRITES, MERCHANT))
        .isEqualTo("payrail:rate-limit:merchant-writes:key:key_1");
    assertThat(RateLimitFilter.bucketKey(EndpointClass.MERCHANT_READS, MERCHANT))
        .isEqualTo("payrail:rate-limit:merchant-reads:key:key_1");
    assertThat(RateLimitFilter.bucketKey(EndpointClass.STAFF, OPERATOR))
        .isEqualTo("payrail:rate-limit:staff:staff:sub-1");
    assertThat(RateLimitFilter.bucketKey(EndpointClass.ADMIN, BOOTSTRAP))
        .isEqualTo("payrail:rate-limit:admin:bootstrap:bootstrap");
  }

  @Test
  void configAndJsonNames_roundTrip() {
    for (EndpointClass endpointClass : EndpointClass.values()) {
      assertThat(EndpointClass.fromConfigName(endpointClass.configName())).isEqualTo(endpointClass);
    }
    assertThat(EndpointClass.MERCHANT_WRITES.jsonName()).isEqualTo("merchant_writes");
  }
}
