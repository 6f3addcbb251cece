package io.payrail.activities.notification;

import com.samskivert.mustache.MustacheException;
import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.notification.NotificationActivities;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one notification: renders its template with the event it is about (the event's payload is a
 * snapshot, so a receipt says what was true when it happened) and hands it to its channel.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.NOTIFICATIONS)
@EnableConfigurationProperties(NotificationProperties.class)
public class NotificationActivitiesImpl implements NotificationActivities {

  private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final PaymentReads payments;
  private final Templates templates = new Templates();
  private final ChannelSender email;
  private final ChannelSender provider;

  @Autowired
  public NotificationActivitiesImpl(
      JdbcClient jdbc,
      JsonMapper json,
      ObjectProvider<JavaMailSender> mail,
      NotificationProperties properties) {
    this(jdbc, json, mail.getIfAvailable(), properties);
  }

  /** {@code mailSender} null: email is not configured, and email notifications fail. */
  NotificationActivitiesImpl(
      JdbcClient jdbc,
      JsonMapper json,
      JavaMailSender mailSender,
      NotificationProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.payments = new PaymentReads(jdbc, json);
    this.email =
        mailSender == null
            ? unconfigured("email", "spring.mail.host")
            : new EmailSender(mailSender, properties.from());
    this.provider =
        properties.providerUrl() == null
            ? unconfigured("sms and push", "payrail.notifications.provider-url")
            : new ProviderSender(properties.providerUrl(), properties.timeout(), json);
  }

  private record Notification(
      String id,
      String template,
      Recipient recipient,
      String status,
      String merchantId,
      String merchantName,
      String merchantEmail,
      String payload) {}

  @Override
  public void send(String notificationId) {
    Notification n = load(notificationId);
    if (!n.status().equals("pending")) {
      return;
    }
    jdbc.sql("UPDATE notifications SET attempts = attempts + 1 WHERE id = ?")
        .param(notificationId)
        .update();
    try {
      Rendered message = templates.render(n.template(), n.recipient().channel(), model(n));
      ChannelSender sender = n.recipient().channel() == Channel.EMAIL ? email : provider;
      // Receipts answer to the merchant, not to Payrail.
      String replyTo = n.template().endsWith("_receipt") ? n.merchantEmail() : null;
      String providerId = sender.send(notificationId, n.recipient(), message, replyTo);
      jdbc.sql(
              """
              UPDATE notifications
              SET status = 'sent', provider_message_id = ?, last_error = NULL, finished_at = now()
              WHERE id = ? AND status = 'pending'
              """)
          .params(providerId, notificationId)
          .update();
    } catch (NotificationRejectedException | IllegalArgumentException | MustacheException e) {
      // Refused by the provider, or unrenderable: sending again cannot help.
      recordError(notificationId, e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), REJECTED);
    } catch (RuntimeException e) {
      recordError(notificationId, e.getMessage());
      throw e;
    }
  }

  @Override
  public void fail(String notificationId, String reason) {
    String bounded =
        reason == null ? "unknown" : reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    int updated =
        jdbc.sql(
                """
                UPDATE notifications SET status = 'failed', last_error = ?, finished_at = now()
                WHERE id = ? AND status = 'pending'
                """)
            .params(bounded, notificationId)
            .update();
    if (updated == 1) {
      log.warn("notification {} failed: {}", notificationId, bounded);
    }
  }

  private void recordError(String notificationId, String error) {
    String bounded =
        error == null ? "unknown" : error.length() <= 1000 ? error : error.substring(0, 1000);
    jdbc.sql("UPDATE notifications SET last_error = ? WHERE id = ?")
        .params(bounded, notificationId)
        .update();
  }

  private Notification load(String notificationId) {
    return jdbc.sql(
            """
            SELECT n.id, n.template, n.channel, n.recipient, n.status, n.merchant_id,
                   m.name, m.email, ev.payload::text
            FROM notifications n
            JOIN merchants m ON m.id = n.merchant_id
            JOIN events ev ON ev.id = n.event_id
            WHERE n.id = ?
            """)
        .param(notificationId)
        .query(
            (row, i) ->
                new Notification(
                    row.getString(1),
                    row.getString(2),
                    new Recipient(Channel.of(row.getString(3)), row.getString(4)),
                    row.getString(5),
                    row.getString(6),
                    row.getString(7),
                    row.getString(8),
                    row.getString(9)))
        .optional()
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "no notification " + notificationId, REJECTED));
  }

  /**
   * What a template sees: {@code merchant} (id, name, email), {@code event} (id, type, created),
   * {@code object} (the event's object as merchants get it in webhooks, with {@code amount_display}
   * and {@code created_display} added), and for a refund the {@code payment} it refunds.
   */
  Map<String, Object> model(Notification n) {
    JsonNode event = json.readTree(n.payload());
    Map<String, Object> object =
        json.convertValue(event.path("data").path("object"), new TypeReference<>() {});
    object.put("amount_display", amountDisplay(event.path("data").path("object")));
    if (object.get("created") instanceof Number created) {
      object.put("created_display", TIME.format(Instant.ofEpochSecond(created.longValue())));
    }
    if (object.get("failing_since") instanceof Number since) {
      object.put("failing_since_display", TIME.format(Instant.ofEpochSecond(since.longValue())));
    }
    addBrandDisplay(object);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("merchant", merchant(n));
    model.put(
        "event",
        Map.of(
            "id", event.path("id").asString(),
            "type", event.path("type").asString(),
            "date", DATE.format(Instant.ofEpochSecond(event.path("created").asLong()))));
    model.put("object", object);
    if ("refund".equals(object.get("object")) && object.get("payment") instanceof String payment) {
      Optional<PaymentObject> refunded = payments.find(n.merchantId(), payment);
      Map<String, Object> paymentModel =
          refunded
              .map(p -> json.convertValue(p, new TypeReference<Map<String, Object>>() {}))
              .orElseGet(LinkedHashMap::new);
      addBrandDisplay(paymentModel);
      model.put("payment", paymentModel);
    }
    return model;
  }

  /** {@code card.brand_display}: the brand as people write it (Visa, Mastercard). */
  @SuppressWarnings("unchecked")
  private static void addBrandDisplay(Map<String, Object> object) {
    if (object.get("card") instanceof Map<?, ?> card && card.get("brand") instanceof String brand) {
      String display =
          switch (brand.toLowerCase(Locale.ROOT)) {
            case "amex" -> "American Express";
            case "mastercard" -> "Mastercard";
            case "unionpay" -> "UnionPay";
            case "jcb" -> "JCB";
            default ->
                brand.isEmpty()
                    ? "Card"
                    : brand.substring(0, 1).toUpperCase(Locale.ROOT)
                        + brand.substring(1).toLowerCase(Locale.ROOT);
          };
      ((Map<String, Object>) card).put("brand_display", display);
    }
  }

  private static Map<String, Object> merchant(Notification n) {
    Map<String, Object> merchant = new LinkedHashMap<>();
    merchant.put("id", n.merchantId());
    merchant.put("name", n.merchantName());
    merchant.put("email", n.merchantEmail());
    return merchant;
  }

  /**
   * The amount as people read it ({@code $20.00}, {@code ¥500}): a payment's captured amount, a
   * refund's amount. Null when the object has no amount.
   */
  static String amountDisplay(JsonNode object) {
    String code = object.path("currency").asString("");
    long minor =
        object.path("amount_captured").asLong(0) > 0
            ? object.path("amount_captured").asLong()
            : object.path("amount").asLong(0);
    if (code.isEmpty() || minor == 0 && !object.has("amount")) {
      return null;
    }
    Currency currency = Currency.getInstance(code.toUpperCase(Locale.ROOT));
    NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
    format.setCurrency(currency);
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format.format(BigDecimal.valueOf(minor, digits));
  }

  private static ChannelSender unconfigured(String what, String setting) {
    return (id, to, message, replyTo) -> {
      throw new NotificationRejectedException(what + " is not configured: set " + setting);
    };
  }
}
