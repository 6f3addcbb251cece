package io.payrail.api.web;

import io.payrail.api.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An empty {@code limit} ({@code ?limit=}) is refused with 400 naming it, on every list. The lists
 * declare {@code @RequestParam(defaultValue = ...) int limit}, and Spring gives an empty value the
 * default, so {@code ?limit=} used to answer as if no limit had been sent: a value the OpenAPI
 * document says is an integer, accepted though it is none (schemathesis's negative-data check in
 * BadInputIT found it).
 */
@Configuration
class ListLimitConfiguration implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(
        new HandlerInterceptor() {
          @Override
          public boolean preHandle(
              HttpServletRequest request, HttpServletResponse response, Object handler) {
            String limit = request.getParameter("limit");
            if (limit != null && limit.isBlank()) {
              throw ApiException.invalid(
                  "limit", "parameter_invalid", "limit must be an integer between 1 and 100");
            }
            return true;
          }
        });
  }
}
