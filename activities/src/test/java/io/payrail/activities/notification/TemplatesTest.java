package io.payrail.activities.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.samskivert.mustache.MustacheException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class TemplatesTest {

  private final Templates templates = new Templates();

  @Test
  void operatorAlert_rendersOnEveryChannel() {
    Map<String, Object> model =
        Map.of(
            "merchant", merchant(null),
            "event", Map.of("id", "evt_1", "type", "webhook_endpoint.disabled", "date", "today"),
            "object",
                Map.of(
                    "id", "we_1",
                    "url", "https://hooks.example.com/x",
                    "failing_since_display", "19 November 2026, 10:00 UTC"));

    Rendered email = templates.render("webhook_endpoint_disabled_operator", Channel.EMAIL, model);
    Rendered sms = templates.render("webhook_endpoint_disabled_operator", Channel.SMS, model);
    Rendered push = templates.render("webhook_endpoint_disabled_operator", Channel.PUSH, model);

    assertThat(email.subject())
        .isEqualTo("[Payrail] Webhook endpoint we_1 of Fjord Coffee disabled");
    assertThat(email.text())
        .contains("URL            https://hooks.example.com/x")
        .contains("no: the merchant has no email address on file");
    assertThat(sms.subject()).isNull();
    assertThat(sms.text()).hasSizeLessThan(160).contains("we_1").contains("mer_1");
    assertThat(push.subject()).isEqualTo("Webhook endpoint disabled");
  }

  @Test
  void receipt_leavesOutWhatThePaymentLacks_andUsesTheMerchantNameAsDescriptor() {
    Map<String, Object> object = new HashMap<>();
    object.put("id", "pay_1");
    object.put("amount_display", "¥500");
    object.put("created_display", "24 November 2026, 09:30 UTC");
    object.put("card", Map.of("brand_display", "Visa", "last4", "4242"));
    object.put("description", null);
    object.put("statement_descriptor", null);

    Rendered email =
        templates.render(
            "payment_receipt",
            Channel.EMAIL,
            Map.of("merchant", merchant("hello@fjord.test"), "object", object));

    assertThat(email.text())
        .contains("Amount paid     ¥500")
        .doesNotContain("Description")
        .contains("appears as \"Fjord Coffee\"");
  }

  @Test
  void aVariableTheModelLacks_isAnError_notAHole() {
    assertThatThrownBy(
            () ->
                templates.render(
                    "payment_receipt", Channel.EMAIL, Map.of("merchant", merchant(null))))
        .isInstanceOf(MustacheException.class);
  }

  @Test
  void aChannelATemplateLacks_isRefused() {
    assertThat(templates.supports("payment_receipt", Channel.SMS)).isFalse();
    assertThatThrownBy(() -> templates.render("payment_receipt", Channel.SMS, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no sms text for template payment_receipt");
    assertThatThrownBy(() -> templates.render("../secrets", Channel.EMAIL, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "2000, usd, $20.00",
    "500, jpy, ¥500",
    "2050, eur, €20.50",
    "1234, kwd, KWD1.234",
    "99999999999, usd, '$999,999,999.99'"
  })
  void amounts_followTheirCurrencysExponent(long amount, String currency, String shown) {
    var object = JsonMapper.builder().build().createObjectNode();
    object.put("amount", amount).put("currency", currency);

    assertThat(NotificationActivitiesImpl.amountDisplay(object)).isEqualTo(shown);
  }

  private static Map<String, Object> merchant(String email) {
    Map<String, Object> merchant = new HashMap<>();
    merchant.put("id", "mer_1");
    merchant.put("name", "Fjord Coffee");
    merchant.put("email", email);
    return merchant;
  }
}
