package io.payrail.activities.notification;

/**
 * A notification's text, ready for its channel: {@code subject} is an email's or a push's title.
 */
public record Rendered(String subject, String text) {}
