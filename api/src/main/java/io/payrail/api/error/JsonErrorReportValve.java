package io.payrail.api.error;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own answer to a request it refuses before Spring sees it (headers too large, a URL it
 * will not decode, a malformed request line): Payrail's error object instead of Tomcat's HTML page,
 * and nothing of Tomcat's internals.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean();
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    String body =
        """
        {"error":{"type":"%s","code":"%s","message":"%s"}}"""
            .formatted(
                status >= 500 ? ErrorTypes.API : ErrorTypes.INVALID_REQUEST,
                status >= 500 ? "internal_error" : "request_rejected",
                message(status));
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(body);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the connection is gone or the response committed: nothing more to tell
    }
  }

  private static String message(int status) {
    return switch (status) {
      case 400 ->
          "The request is malformed: its request line, URL (an encoded slash or backslash, say)"
              + " or headers (over 16 KiB in all) were refused";
      case 413 -> "The request is too large";
      case 414 -> "The request URL is too long";
      case 431 -> "The request headers are too large (over 16 KiB in all)";
      default ->
          status >= 500
              ? "Payrail could not complete the request"
              : "The request was refused (HTTP " + status + ")";
    };
  }
}
