package io.payrail.api.payment;

import io.payrail.platform.payment.PaymentReads;
import io.payrail.platform.refund.RefundReads;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class PaymentConfiguration {

  @Bean
  PaymentReads paymentReads(JdbcClient jdbc, JsonMapper json) {
    return new PaymentReads(jdbc, json);
  }

  @Bean
  RefundReads refundReads(JdbcClient jdbc, JsonMapper json) {
    return new RefundReads(jdbc, json);
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
