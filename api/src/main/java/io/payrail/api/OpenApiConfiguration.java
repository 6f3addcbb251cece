package io.payrail.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}, rendered at {@code /swagger-ui.html}: the wire
 * names (snake_case, as the API reads and writes them) and every answer an operation can give,
 * errors included, so that a client generated from it, or a fuzzer checking the API against it,
 * sees the API as it is.
 */
@Configuration
class OpenApiConfiguration {

  static final String ERROR_SCHEMA = "Error";
  static final String MERCHANT_KEY = "merchantKey";
  static final String STAFF_TOKEN = "staffToken";

  @Bean
  OpenAPI payrailOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Payrail API")
                .version("v1")
                .description(
                    "Card payments, refunds, webhooks and settlement. Merchants authenticate with"
                        + " their secret key (Authorization: Bearer sk_test_...) on /v1; staff with"
                        + " an access token from Payrail's Keycloak realm on /staff (operators),"
                        + " /staff/v1/settlement (finance) and /admin (admins, or the bootstrap"
                        + " admin token).")
                .license(new License().name("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    MERCHANT_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A merchant's secret API key, sk_test_... (/v1)"))
                .addSecuritySchemes(
                    STAFF_TOKEN,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            "A staff access token from the payrail Keycloak realm (audience"
                                + " payrail-api, role operator for /staff, finance for"
                                + " /staff/v1/settlement, admin for /admin), or the bootstrap"
                                + " admin token for /admin"))
                .addSchemas(ERROR_SCHEMA, errorSchema()))
        .addSecurityItem(new SecurityRequirement().addList(MERCHANT_KEY));
  }

  /** Staff and admin operations take a staff token, not a merchant's key. */
  @Bean
  OpenApiCustomizer staffSecurity() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) -> {
                  if (path.startsWith("/staff/") || path.startsWith("/admin/")) {
                    item.readOperations()
                        .forEach(
                            operation ->
                                operation.setSecurity(
                                    List.of(new SecurityRequirement().addList(STAFF_TOKEN))));
                  }
                });
  }

  /**
   * Schemas with the names the API's JSON has: the application's Jackson 3 mapper is snake_case;
   * swagger-core reads types with a Jackson 2 mapper of its own, told the same here.
   */
  @Bean
  ModelResolver snakeCaseModelResolver() {
    return new ModelResolver(
        Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }

  /**
   * A property the API may leave out may also be null, as in Stripe's objects ({@code
   * "description": null}), and a request may send null for "unchanged" (POST /v1/merchant).
   */
  @Bean
  @SuppressWarnings({"rawtypes", "unchecked"})
  OpenApiCustomizer optionalMeansNullable() {
    return openApi -> {
      for (Map.Entry<String, Schema> component : openApi.getComponents().getSchemas().entrySet()) {
        Map<String, Schema> properties = component.getValue().getProperties();
        if (component.getKey().equals(ERROR_SCHEMA) || properties == null) {
          continue;
        }
        List<String> required = component.getValue().getRequired();
        for (Map.Entry<String, Schema> property : properties.entrySet()) {
          Schema type = property.getValue();
          boolean optional = required == null || !required.contains(property.getKey());
          if (optional && type.getTypes() != null && !type.getTypes().isEmpty()) {
            type.addType("null");
          }
        }
      }
    };
  }

  /** The error answers every operation can give, in the one error object of the API. */
  @Bean
  OpenApiCustomizer errorResponses() {
    return openApi -> {
      for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
        path.getValue()
            .readOperationsMap()
            .forEach(
                (method, operation) ->
                    addErrors(path.getKey(), method == PathItem.HttpMethod.POST, operation));
      }
    };
  }

  private static void addErrors(String path, boolean post, Operation operation) {
    Map<String, String> errors = new LinkedHashMap<>();
    errors.put("400", "Invalid request: the error names the parameter");
    errors.put("401", "No valid API key, staff token or admin token");
    errors.put("403", "The credential is valid but may not call this operation");
    errors.put("404", "No such object (or another merchant's)");
    if (post) {
      errors.put("409", "A request with this Idempotency-Key is still being processed");
      errors.put("413", "The request body is too large");
      errors.put("415", "The body is not application/json");
    }
    if (post && (path.equals("/v1/payments") || path.endsWith("/capture"))) {
      errors.put("402", "The card was declined or the payment blocked; the payment is included");
    }
    errors.put("429", "Too many requests with this API key or account: wait Retry-After seconds");
    errors.put("503", "Briefly unavailable: retry with the same Idempotency-Key");
    ApiResponses responses = operation.getResponses();
    ApiResponse ok = responses.get("200");
    if (post && ok != null && isMoneyMove(path) && !responses.containsKey("202")) {
      responses.addApiResponse(
          "202",
          new ApiResponse()
              .description("Still running when the API stopped waiting: the object as it stands")
              .content(ok.getContent()));
    }
    errors.forEach(
        (status, description) -> {
          if (!responses.containsKey(status)) {
            responses.addApiResponse(
                status,
                new ApiResponse()
                    .description(description)
                    .content(
                        new Content()
                            .addMediaType(
                                "application/json",
                                new MediaType()
                                    .schema(
                                        new Schema<>()
                                            .$ref("#/components/schemas/" + ERROR_SCHEMA)))));
          }
        });
    responses.forEach(
        (status, response) -> {
          if (status.startsWith("2") || status.equals("429")) {
            rateLimitHeaders().forEach(response::addHeaderObject);
          }
        });
    responses.get("429").addHeaderObject("Retry-After", header("Seconds to wait before retrying"));
  }

  /** The IETF httpapi draft's headers, on every answer the rate limiter counted. */
  private static Map<String, Header> rateLimitHeaders() {
    Map<String, Header> headers = new LinkedHashMap<>();
    headers.put("RateLimit-Limit", header("The bucket's capacity: requests in a burst"));
    headers.put("RateLimit-Remaining", header("Requests left in the bucket"));
    headers.put("RateLimit-Reset", header("Seconds until the bucket is full again"));
    return headers;
  }

  private static Header header(String description) {
    return new Header().description(description).schema(new IntegerSchema());
  }

  private static boolean isMoneyMove(String path) {
    return path.equals("/v1/payments")
        || path.equals("/v1/refunds")
        || path.endsWith("/capture")
        || path.endsWith("/cancel");
  }

  private static Schema<?> errorSchema() {
    ObjectSchema body = new ObjectSchema();
    body.addProperty("type", new StringSchema().description("api_error, card_error, ..."));
    body.addProperty("code", new StringSchema());
    body.addProperty("message", new StringSchema());
    body.addProperty("param", new StringSchema().description("the offending field"));
    body.addProperty("decline_code", new StringSchema());
    body.addProperty("request_id", new StringSchema());
    body.addProperty("payment", new ObjectSchema().description("a failed payment (402)"));
    body.setRequired(List.of("type", "code", "message"));
    ObjectSchema error = new ObjectSchema();
    error.addProperty("error", body);
    error.setRequired(List.of("error"));
    return error;
  }
}
