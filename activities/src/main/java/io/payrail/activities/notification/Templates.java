package io.payrail.activities.notification;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notification templates: Mustache files under {@code notifications/<template>/} on the
 * classpath, one pair per channel: {@code email.subject} and {@code email.txt}, {@code sms.txt},
 * {@code push.title} and {@code push.txt}. Plain text, so nothing is HTML-escaped; a variable the
 * model lacks is an error (a typo must not send a receipt with a hole in it), a null one is empty.
 */
public final class Templates {

  private final Mustache.Compiler compiler =
      Mustache.compiler().escapeHTML(false).nullValue("").withLoader(Templates::partial);
  private final Map<String, Optional<Template>> compiled = new ConcurrentHashMap<>();

  /** Whether {@code template} can be sent on {@code channel}. */
  public boolean supports(String template, Channel channel) {
    return load(template, textPart(channel)).isPresent();
  }

  public Rendered render(String template, Channel channel, Map<String, Object> model) {
    Template text =
        load(template, textPart(channel))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no " + channel.code() + " text for template " + template));
    String subject =
        switch (channel) {
          case EMAIL -> required(template, "email.subject").execute(model).strip();
          case PUSH -> required(template, "push.title").execute(model).strip();
          case SMS -> null;
        };
    return new Rendered(subject, text.execute(model).strip() + "\n");
  }

  private static String textPart(Channel channel) {
    return channel.code() + ".txt";
  }

  private Template required(String template, String part) {
    return load(template, part)
        .orElseThrow(
            () -> new IllegalArgumentException("template " + template + " has no " + part));
  }

  private Optional<Template> load(String template, String part) {
    if (!template.matches("[a-z_]{1,64}")) {
      throw new IllegalArgumentException("not a template name: " + template);
    }
    return compiled.computeIfAbsent(
        template + "/" + part,
        name -> read("notifications/" + name + ".mustache").map(compiler::compile));
  }

  private static Optional<String> read(String resource) {
    try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {{> footer}}} includes {@code notifications/_partials/footer.mustache}. */
  private static java.io.Reader partial(String name) {
    String resource = "notifications/_partials/" + name + ".mustache";
    return new java.io.StringReader(
        read(resource).orElseThrow(() -> new IllegalArgumentException("no partial " + resource)));
  }
}
