package io.payrail.workflows.architecture;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** Everything workflow code must not do, so the tests can show that the rules catch it. */
final class ForbiddenUsesFixture {

  long clock() {
    return System.currentTimeMillis() + Instant.now().toEpochMilli();
  }

  int random() {
    return new Random().nextInt();
  }

  String uuid() {
    return UUID.randomUUID().toString();
  }

  void sleep() throws InterruptedException {
    Thread.sleep(1);
  }

  java.sql.Connection jdbc() {
    return null;
  }

  org.springframework.stereotype.Component spring() {
    return null;
  }
}
