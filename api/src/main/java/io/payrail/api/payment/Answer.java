package io.payrail.api.payment;

import org.springframework.http.ResponseEntity;

/**
 * What an operation answers: the object as recorded, and whether the workflow finished the
 * operation within the API's wait. An unfinished one answers 202 with the object as it stands; its
 * idempotency key is not settled by that answer, so a retry with the key gets the outcome.
 */
record Answer<T>(T object, boolean finished) {

  ResponseEntity<T> response() {
    return finished ? ResponseEntity.ok(object) : ResponseEntity.accepted().body(object);
  }
}
