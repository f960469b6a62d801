package io.feishuipsync.source.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/** Reads one answer whole, never more than its cap: a larger one drops the connection (an IOException). */
public final class CappedBody {

  private CappedBody() {}

  public static Reply read(HttpUriRequestBase request, ClassicHttpResponse response, int max) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (Header h : response.getHeaders()) {
      headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return new Reply(response.getCode(), new byte[0], headers);
    }
    if (entity.getContentLength() > max) {
      request.cancel();
      throw new TooLarge(max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (InputStream in = entity.getContent()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out.size() + n > max) {
          // Drop the connection rather than drain what is left of a huge body.
          request.cancel();
          throw new TooLarge(max);
        }
        out.write(buf, 0, n);
      }
    }
    return new Reply(response.getCode(), out.toByteArray(), headers);
  }

  /** The answer is larger than the cap. */
  static final class TooLarge extends Flight.Refused {
    TooLarge(int max) {
      super("the answer is larger than " + max + " bytes");
    }
  }
}
