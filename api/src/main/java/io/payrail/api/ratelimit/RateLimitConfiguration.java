package io.payrail.api.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limiter's own Lettuce client, apart from the application's Redis connection: its timeouts are
 * a few hundred milliseconds, not the seconds a cache read may take, so that Redis trouble adds
 * little to any request; it does not queue commands while disconnected, nor reconnect on a schedule
 * of its own (the limiter reconnects after its back-off). It shares the application's Lettuce
 * threads when there are some.
 */
@Configuration
class RateLimitConfiguration {

  @Bean(destroyMethod = "shutdown")
  RedisClient rateLimitRedisClient(
      Environment environment,
      RateLimitProperties settings,
      ObjectProvider<ClientResources> sharedResources) {
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(environment.getProperty("spring.data.redis.host", "localhost"))
            .withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
            .withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0))
            .withSsl(environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false))
            .withTimeout(settings.redisTimeout());
    String password = environment.getProperty("spring.data.redis.password");
    if (password != null && !password.isEmpty()) {
      String user = environment.getProperty("spring.data.redis.username");
      uri =
          user == null
              ? uri.withPassword(password.toCharArray())
              : uri.withAuthentication(user, password);
    }
    ClientResources resources = sharedResources.getIfAvailable();
    RedisClient client =
        resources == null
            ? RedisClient.create(uri.build())
            : RedisClient.create(resources, uri.build());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(settings.redisTimeout()).build())
            .timeoutOptions(TimeoutOptions.enabled(settings.redisTimeout()))
            .build());
    return client;
  }

  @Bean(destroyMethod = "close")
  RateLimiter rateLimiter(
      RateLimitProperties settings, RedisClient rateLimitRedisClient, MeterRegistry meters) {
    return new RateLimiter(settings, rateLimitRedisClient, meters);
  }

  /**
   * Right after Spring Security's filter chain, which has authenticated the caller by then (the
   * limiter keys buckets by {@code Caller.current()}) and has already answered 401 or 403 to
   * whoever may not call the endpoint.
   */
  @Bean
  FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
      RateLimitProperties settings, MerchantLimits limits, RateLimiter limiter, JsonMapper json) {
    FilterRegistrationBean<RateLimitFilter> registration =
        new FilterRegistrationBean<>(new RateLimitFilter(settings, limits, limiter, json));
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
    return registration;
  }
}
