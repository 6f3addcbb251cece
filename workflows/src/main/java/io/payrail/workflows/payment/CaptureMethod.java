package io.payrail.workflows.payment;

/** Capture at once after authorization, or wait for the merchant's capture call. */
public enum CaptureMethod {
  AUTOMATIC,
  MANUAL
}
