package io.payrail.workflows.payment;

/** A capture of {@code amountToCapture} minor units, or of the whole authorization when null. */
public record CaptureRequest(Long amountToCapture) {}
