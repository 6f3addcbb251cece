package io.payrail.activities.notification;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notifications ({@code payrail.notifications}). The SMTP server is Spring Mail's ({@code
 * spring.mail.*}).
 *
 * @param from the sender of every email
 * @param operators who receives operator alerts: {@code email:...}, {@code sms:+...} or {@code
 *     push:<device token>}, any number of each
 * @param providerUrl the SMS and push provider's base URL; required when a recipient uses sms or
 *     push
 * @param timeout each call to the SMS and push provider, answer included
 * @param giveUpAfter a notification whose provider keeps failing this long ends {@code failed}
 */
@ConfigurationProperties("payrail.notifications")
public record NotificationProperties(
    @DefaultValue("Payrail <notifications@payrail.local>") String from,
    @DefaultValue List<String> operators,
    URI providerUrl,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("1d") Duration giveUpAfter) {

  public NotificationProperties {
    // An empty environment variable (docker-compose's default) means none.
    operators =
        operators == null ? List.of() : operators.stream().filter(o -> !o.isBlank()).toList();
    if (providerUrl != null && providerUrl.toString().isBlank()) {
      providerUrl = null;
    }
    List<Recipient> parsed = operators.stream().map(Recipient::parse).toList();
    if (providerUrl == null && parsed.stream().anyMatch(r -> r.channel() != Channel.EMAIL)) {
      throw new IllegalArgumentException(
          "payrail.notifications.provider-url is required for sms and push recipients");
    }
  }

  public List<Recipient> operatorRecipients() {
    return operators.stream().map(Recipient::parse).toList();
  }
}
