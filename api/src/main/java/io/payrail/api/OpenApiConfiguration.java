package io.payrail.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}, rendered at {@code /swagger-ui.html}. */
@Configuration
class OpenApiConfiguration {

  @Bean
  OpenAPI payrailOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Payrail API")
                .version("v1")
                .description(
                    "Card payments, refunds and webhooks. Authenticate with your secret key:"
                        + " Authorization: Bearer sk_test_...")
                .license(new License().name("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A secret API key, sk_test_...")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
